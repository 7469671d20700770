package dev.mise.common.testing;

import dev.mise.common.tasks.TaskQueue;
import dev.mise.common.tasks.TaskQueueException;
import dev.mise.common.tasks.TaskRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An in-memory {@link TaskQueue} for unit tests: records every created task and, like Cloud Tasks,
 * refuses a task id the queue has seen before ({@link TaskQueue.Enqueued#DUPLICATE}). It can be
 * told to fail the next calls as an unavailable queue would.
 */
public final class RecordingTaskQueue implements TaskQueue {

  private final List<TaskRequest> created = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private int duplicates;
  private int failuresLeft;

  @Override
  public synchronized Enqueued enqueue(TaskRequest task) {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new TaskQueueException("RecordingTaskQueue: scripted unavailability", null);
    }
    if (task.taskId() != null && !names.add(task.queue() + "/" + task.taskId())) {
      duplicates++;
      return Enqueued.DUPLICATE;
    }
    created.add(task);
    return Enqueued.CREATED;
  }

  /** Every created task, in order. */
  public synchronized List<TaskRequest> tasks() {
    return List.copyOf(created);
  }

  /** The created tasks of one queue, in order. */
  public synchronized List<TaskRequest> tasks(String queue) {
    return created.stream().filter(t -> t.queue().equals(queue)).toList();
  }

  /** How many enqueues were refused as duplicates. */
  public synchronized int duplicates() {
    return duplicates;
  }

  /** Makes the next {@code calls} enqueues throw {@link TaskQueueException}. */
  public synchronized void failNext(int calls) {
    failuresLeft = calls;
  }
}
