package dev.mise.common.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRequestTest {

  @Test
  void refusesTaskIdsCloudTasksWouldRefuse() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TaskRequest.postJson("q", "job 1/ocr", "http://x/", "{}"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TaskRequest.postJson("q", "a".repeat(501), "http://x/", "{}"));
    assertEquals("job-1_ocr", TaskRequest.postJson("q", "job-1_ocr", "http://x/", "{}").taskId());
  }

  @Test
  void normalisesAndChecksTheMethod() {
    TaskRequest put =
        new TaskRequest("q", null, "http://x/", "put", Map.of(), null, null, null, null, null);

    assertEquals("PUT", put.method());
    assertThrows(
        IllegalArgumentException.class,
        () -> new TaskRequest("q", null, "http://x/", "TRACE", null, null, null, null, null, null));
  }
}
