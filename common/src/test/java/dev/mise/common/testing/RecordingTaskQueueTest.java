package dev.mise.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.tasks.TaskQueue.Enqueued;
import dev.mise.common.tasks.TaskQueueException;
import dev.mise.common.tasks.TaskRequest;
import org.junit.jupiter.api.Test;

class RecordingTaskQueueTest {

  @Test
  void recordsTasksAndRefusesRepeatedNamesPerQueue() {
    RecordingTaskQueue queue = new RecordingTaskQueue();

    assertEquals(
        Enqueued.CREATED, queue.enqueue(TaskRequest.postJson("a", "t1", "http://x/", "{}")));
    assertEquals(
        Enqueued.DUPLICATE, queue.enqueue(TaskRequest.postJson("a", "t1", "http://x/", "{}")));
    assertEquals(
        Enqueued.CREATED, queue.enqueue(TaskRequest.postJson("b", "t1", "http://x/", "{}")));
    assertEquals(
        Enqueued.CREATED, queue.enqueue(TaskRequest.postJson("a", null, "http://x/", "{}")));
    assertEquals(
        Enqueued.CREATED, queue.enqueue(TaskRequest.postJson("a", null, "http://x/", "{}")));

    assertEquals(4, queue.tasks().size());
    assertEquals(3, queue.tasks("a").size());
    assertEquals(1, queue.duplicates());
  }

  @Test
  void canPlayAnUnavailableQueue() {
    RecordingTaskQueue queue = new RecordingTaskQueue();
    queue.failNext(1);
    TaskRequest task = TaskRequest.postJson("a", "t1", "http://x/", "{}");

    assertThrows(TaskQueueException.class, () -> queue.enqueue(task));
    assertEquals(Enqueued.CREATED, queue.enqueue(task), "the failed call did not take the name");
  }
}
