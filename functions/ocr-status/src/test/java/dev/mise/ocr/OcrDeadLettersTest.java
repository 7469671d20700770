package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.pipeline.StepResponses;
import dev.mise.common.testing.PubSubEvents;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OcrDeadLettersTest {
  private final OcrTestKit kit = new OcrTestKit();
  private final OcrDeadLetters deadLetters = new OcrDeadLetters(kit.services);
  private final String jobId = "job0000000000000007";

  @BeforeEach
  void aJobWithOnePage() {
    kit.jobs.create(
        OcrJob.COLLECTION,
        jobId,
        JobDocument.newJob(
            "alice",
            Instant.now(),
            Duration.ofDays(7),
            Map.of(
                OcrJob.FILES,
                List.of(
                    new OcrJob.StoredPage("ocr/" + jobId + "/page-1.png", "image/png", 1)
                        .toMap()))));
  }

  /** The ocr-jobs message as Pub/Sub republishes it on the dead-letter topic. */
  private CloudEvent deadLetter(String messageId) {
    return PubSubEvents.messagePublished(
        OcrTestKit.PROJECT,
        "ocr-jobs-dead",
        messageId,
        ("{\"jobId\":\"" + jobId + "\"}").getBytes(StandardCharsets.UTF_8),
        Map.of(
            "jobId", jobId,
            "CloudPubSubDeadLetterSourceDeliveryCount", "5",
            "CloudPubSubDeadLetterSourceSubscription", "eventarc-europe-west1-ocr-worker-1-sub-1"));
  }

  private Map<String, Object> job() {
    return kit.jobs.get(OcrJob.COLLECTION, jobId).orElseThrow();
  }

  private void ocrStep(Map<String, Object> record) {
    Map<String, Object> fields = new HashMap<>();
    fields.put("status", "processing");
    record.forEach((field, value) -> fields.put("steps.ocr." + field, value));
    kit.jobs.merge(OcrJob.COLLECTION, jobId, fields);
  }

  @Test
  void aJobNoDeliveryIsWorkingOnFailsWithACodeAndADeadLetter() {
    ocrStep(
        Map.of(
            "state",
            "retrying",
            "attempt",
            2L,
            "busyDeliveries",
            3L,
            "leaseExpiry",
            Instant.now().minusSeconds(1),
            "lastError",
            "dev.mise.common.models.ModelException: 503 overloaded"));

    deadLetters.accept(deadLetter("d1"));

    assertEquals("failed", job().get("status"));
    assertEquals(
        Map.of("code", "delivery_exhausted", "message", OcrDeadLetters.MESSAGE),
        job().get("error"));
    Map<String, Object> letter =
        kit.jobs.get("deadLetters", "ocrJobs-" + jobId + "-ocr-1").orElseThrow();
    assertEquals("delivery_exhausted", letter.get("code"));
    assertEquals(5L, letter.get("attempts"));
    assertTrue(String.valueOf(letter.get("cause")).contains("503 overloaded"), letter.toString());
    assertTrue(kit.tasks.tasks().isEmpty());
  }

  @Test
  void aQueuedJobWhoseDeliveriesNeverReachedTheWorkerFailsToo() {
    deadLetters.accept(deadLetter("d1"));
    assertEquals("failed", job().get("status"));
    assertEquals("failed", JobDocument.step(job(), "ocr").get("state"));
  }

  @Test
  void aLiveLeaseIsWaitedForThroughRedeliveryThenTheJobFails() {
    ocrStep(
        Map.of("state", "running", "attempt", 1L, "leaseExpiry", Instant.now().plusSeconds(60)));

    assertThrows(
        StepResponses.StepRetryException.class,
        () -> deadLetters.accept(deadLetter("d1")),
        "a delivery may still finish the step");
    assertEquals("processing", job().get("status"));

    ocrStep(Map.of("leaseExpiry", Instant.now().minusSeconds(1))); // its holder never came back
    deadLetters.accept(deadLetter("d1"));
    assertEquals("failed", job().get("status"));
  }

  @Test
  void aFinishedOcrStepHasItsCleanupQueuedAgainInsteadOfFailing() {
    ocrStep(Map.of("state", "done", "attempt", 1L, "output", "{\"pages\":[\"Soup\"]}"));

    deadLetters.accept(deadLetter("d1"));

    assertEquals("processing", job().get("status"));
    assertEquals(jobId + "-cleanup-1", kit.tasks.tasks().get(0).taskId());
    assertFalse(kit.jobs.get("deadLetters", "ocrJobs-" + jobId + "-ocr-1").isPresent());
  }

  @Test
  void aJobAlreadyOverIsLeftAsItIsAndARepeatedDeadLetterDoesNoWork() {
    kit.jobs.merge(OcrJob.COLLECTION, jobId, Map.of("status", "completed"));
    deadLetters.accept(deadLetter("d1"));
    assertEquals("completed", job().get("status"));

    kit.counted.reset();
    deadLetters.accept(deadLetter("d1"));
    assertEquals(0, kit.counted.writes(), "the event was seen before");
    assertTrue(kit.jobs.get("deadLetters", "ocrJobs-" + jobId + "-ocr-1").isEmpty());
  }

  @Test
  void aDeadLetterNamingNoJobIsAcknowledged() {
    deadLetters.accept(
        PubSubEvents.messagePublished(
            OcrTestKit.PROJECT, "ocr-jobs-dead", "d9", "{not json".getBytes(), Map.of()));
    assertEquals("queued", job().get("status"));
  }
}
