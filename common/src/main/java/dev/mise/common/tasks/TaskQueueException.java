package dev.mise.common.tasks;

/** The queue could not take the task now (unavailable, quota, timeout); a retry may succeed. */
public class TaskQueueException extends RuntimeException {
  public TaskQueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
