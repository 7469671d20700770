package dev.mise.common.tasks;

/**
 * Port to a push queue of HTTP tasks (Cloud Tasks in the cloud, the emulator in {@code emulators/}
 * locally). Named tasks are deduplicated by the queue: enqueueing a name that exists, or existed
 * recently, is refused and reported as {@link Enqueued#DUPLICATE}, which callers treat as success.
 */
public interface TaskQueue {

  /**
   * Adds a task.
   *
   * @throws TaskQueueException when the queue cannot take it now (a retry may succeed)
   * @throws IllegalArgumentException when the queue refuses the task as invalid
   * @throws IllegalStateException when the queue does not exist or refuses for another reason
   */
  Enqueued enqueue(TaskRequest task);

  /** What became of an enqueue. */
  enum Enqueued {
    CREATED,
    DUPLICATE
  }
}
