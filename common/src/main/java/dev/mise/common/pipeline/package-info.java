/**
 * The pipeline runtime: jobs as one Firestore document each ({@link
 * dev.mise.common.pipeline.JobDocument}), steps run safely under at-least-once delivery by {@link
 * dev.mise.common.pipeline.StepRunner} (lease with a fencing attempt number, memoized outputs,
 * fenced commit, chaining by deterministic task name, clear failure with dead letters, and {@link
 * dev.mise.common.pipeline.StepRunner#giveUp} for a trigger that ran out of deliveries), event
 * deduplication ({@link dev.mise.common.pipeline.SeenEvents}) and contention-free progress counters
 * ({@link dev.mise.common.pipeline.ShardedCounter}).
 *
 * <pre>{@code
 * final class Cleanup implements Step {
 *   public String name() { return "cleanup"; }
 *
 *   public StepResult run(StepContext context) throws Exception {
 *     String raw = context.outputOf("ocr").orElseThrow();
 *     Recipe recipe = structure(raw); // throws StepFailedException for hopeless input
 *     return StepResult.completing(json(recipe), Map.of("result", recipe.asMap()));
 *   }
 * }
 *
 * // in the Cloud Tasks target
 * TaskHeaders task = TaskHeaders.from(request.getHeaders()).orElseThrow();
 * StepOutcome outcome =
 *     runner.run(new StepCall("ocrJobs", jobId, task.attempt(), maxAttempts, context.log()), cleanup);
 * StepResponses.write(outcome, response); // 200 when handled, 503 to be retried
 *
 * // in the function on the worker topic's dead-letter topic
 * StepOutcome given = runner.giveUp(StepCall.fromEvent("ocrJobs", jobId, 5, log), ocr,
 *     "delivery_exhausted", "The job was retried too often.");
 * StepResponses.requireAcknowledged(given); // a live lease: redelivered later
 * }</pre>
 */
package dev.mise.common.pipeline;
