package dev.mise.common.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.http.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TaskHeadersTest {

  @Test
  void readsTheCloudTasksHeadersInAnyCase() {
    Map<String, List<String>> headers =
        Map.of(
            "x-cloudtasks-queuename", List.of("ocr-steps"),
            "X-CLOUDTASKS-TASKNAME", List.of("job-1-ocr-0"),
            "X-CloudTasks-TaskRetryCount", List.of("2"),
            "X-CloudTasks-TaskExecutionCount", List.of("1"),
            "X-CloudTasks-TaskETA", List.of("1700000000.123456"),
            "X-CloudTasks-TaskPreviousResponse", List.of("503"));

    TaskHeaders task = TaskHeaders.from(headers).orElseThrow();

    assertEquals(
        new TaskHeaders(
            "ocr-steps",
            "job-1-ocr-0",
            2,
            1,
            Instant.ofEpochSecond(1_700_000_000L, 123_456_000),
            OptionalInt.of(503)),
        task);
    assertEquals(3, task.attempt());
  }

  @Test
  void anEtaWithoutFractionIsWholeSeconds() {
    TaskHeaders task =
        TaskHeaders.from(
                Map.of(
                    "X-CloudTasks-TaskName", List.of("t"),
                    "X-CloudTasks-TaskETA", List.of("1700000000")))
            .orElseThrow();

    assertEquals(Instant.ofEpochSecond(1_700_000_000L), task.eta());
    assertEquals(0, task.retryCount());
    assertFalse(task.previousResponse().isPresent());
  }

  @Test
  void aRequestWithoutTaskNameIsNotFromCloudTasks() {
    assertTrue(TaskHeaders.from(Map.of("Content-Type", List.of("application/json"))).isEmpty());
  }

  @Test
  void malformedValuesAreBadRequests() {
    ProblemException retry =
        assertThrows(
            ProblemException.class,
            () ->
                TaskHeaders.from(
                    Map.of(
                        "X-CloudTasks-TaskName", List.of("t"),
                        "X-CloudTasks-TaskRetryCount", List.of("-1"))));
    ProblemException eta =
        assertThrows(
            ProblemException.class,
            () ->
                TaskHeaders.from(
                    Map.of(
                        "X-CloudTasks-TaskName", List.of("t"),
                        "X-CloudTasks-TaskETA", List.of("1e999999999"))));

    assertEquals(400, retry.problem().status());
    assertEquals(400, eta.problem().status());
  }

  @Test
  void theLastAttemptIsKnownFromTheRetryCount() {
    TaskHeaders fourth = new TaskHeaders("q", "t", 3, 0, null, OptionalInt.empty());

    assertTrue(fourth.isLastAttempt(4));
    assertFalse(fourth.isLastAttempt(5));
    assertFalse(fourth.isLastAttempt(-1), "unlimited attempts");
  }
}
