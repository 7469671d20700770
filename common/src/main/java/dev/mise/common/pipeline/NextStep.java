package dev.mise.common.pipeline;

import dev.mise.common.tasks.TaskRequest;

/**
 * The task that runs a job's next step. {@code task} is a template: the runner replaces its task id
 * with the deterministic {@code <job>-<step>-<generation>} so that a second enqueue by a retry is
 * refused by the queue as a duplicate.
 */
public record NextStep(String step, TaskRequest task) {

  TaskRequest named(String jobId, long generation) {
    return new TaskRequest(
        task.queue(),
        jobId + "-" + step + "-" + generation,
        task.url(),
        task.method(),
        task.headers(),
        task.body(),
        task.scheduleTime(),
        task.dispatchDeadline(),
        task.oidcServiceAccount(),
        task.oidcAudience());
  }
}
