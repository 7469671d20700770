/**
 * Push queues of HTTP tasks: the {@link dev.mise.common.tasks.TaskQueue} port, its Cloud Tasks
 * adapter, and {@link dev.mise.common.tasks.TaskHeaders} for the receiving side.
 *
 * <pre>{@code
 * TaskQueue queue = new CloudTasksQueue(); // GOOGLE_CLOUD_PROJECT, CLOUD_TASKS_LOCATION,
 *                                          // CLOUD_TASKS_EMULATOR_HOST when local
 * TaskRequest next =
 *     TaskRequest.postJson("ocr-steps", jobId + "-cleanup-0", stepUrl, json)
 *         .withOidc(invokerServiceAccount, stepUrl);
 * if (queue.enqueue(next) == TaskQueue.Enqueued.DUPLICATE) {
 *   // already enqueued by an earlier attempt of this step: fine
 * }
 *
 * // in the step function
 * TaskHeaders task = TaskHeaders.from(request.getHeaders()).orElseThrow();
 * boolean lastChance = task.isLastAttempt(maxAttempts);
 * }</pre>
 */
package dev.mise.common.tasks;
