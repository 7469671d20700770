package dev.mise.common.pipeline;

import dev.mise.common.logging.Log;
import dev.mise.common.tasks.TaskQueue;
import dev.mise.common.tasks.TaskQueueException;
import java.util.Map;
import java.util.Optional;

/**
 * Enqueues a done step's next step under its deterministic name, {@code <job>-<step>-<generation>}:
 * enqueueing it again (after a crash, from a duplicate delivery) is refused by the queue as a
 * duplicate, which counts as success.
 */
final class StepChain {
  private final TaskQueue tasks;

  StepChain(TaskQueue tasks) {
    this.tasks = tasks;
  }

  /** Enqueues the step's next step, if it has one; the failure, or null. */
  TaskQueueException enqueueNext(
      StepCall call,
      Step step,
      StepContext context,
      String output,
      Map<String, Object> job,
      Log log) {
    Optional<NextStep> next = step.next(context, output);
    if (next.isEmpty()) {
      return null;
    }
    var task = next.get().named(call.jobId(), JobDocument.generation(job));
    try {
      TaskQueue.Enqueued enqueued = tasks.enqueue(task);
      log.info("next step enqueued", "task", task.taskId(), "enqueued", enqueued.name());
      return null;
    } catch (TaskQueueException e) {
      log.warn("could not enqueue the next step: " + e);
      return e;
    }
  }
}
