package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.pipeline.StepResponses;
import dev.mise.common.tasks.TaskRequest;
import dev.mise.common.testing.PubSubEvents;
import dev.mise.common.testing.ScriptedModels;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OcrWorkerTest {
  private final OcrTestKit kit = new OcrTestKit();
  private final OcrWorker worker = new OcrWorker(kit.services);
  private String jobId;

  @BeforeEach
  void queuedJobWithTwoPages() {
    jobId = "job0000000000000001";
    kit.blobs.put(
        "ocr/" + jobId + "/page-1.png", OcrTestKit.sample("tomato-soup-1.png"), "image/png");
    kit.blobs.put(
        "ocr/" + jobId + "/page-2.png", OcrTestKit.sample("tomato-soup-2.png"), "image/png");
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
                    new OcrJob.StoredPage("ocr/" + jobId + "/page-1.png", "image/png", 1).toMap(),
                    new OcrJob.StoredPage("ocr/" + jobId + "/page-2.png", "image/png", 1)
                        .toMap()))));
  }

  private CloudEvent message(String messageId) {
    return PubSubEvents.messagePublished(
        OcrTestKit.PROJECT,
        "ocr-jobs",
        messageId,
        ("{\"jobId\":\"" + jobId + "\"}").getBytes(StandardCharsets.UTF_8),
        Map.of("jobId", jobId));
  }

  private Map<String, Object> job() {
    return kit.jobs.get(OcrJob.COLLECTION, jobId).orElseThrow();
  }

  @Test
  void readsEveryPageInOrderAndChainsTheCleanupTask() throws Exception {
    kit.models.then(
        ScriptedModels.text("INGREDIENTS\n1 kg tomatoes"),
        ScriptedModels.text("METHOD\n1. Simmer."));

    worker.accept(message("m1"));

    Map<String, Object> ocr = JobDocument.step(job(), "ocr");
    assertEquals("processing", job().get("status"));
    assertEquals("done", ocr.get("state"));
    assertEquals(
        "{\"pages\":[\"INGREDIENTS\\n1 kg tomatoes\",\"METHOD\\n1. Simmer.\"]}", ocr.get("output"));
    List<ModelRequest> calls = kit.models.requests();
    assertEquals(2, calls.size());
    assertTrue(
        calls.get(0).parts().get(1) instanceof ModelRequest.Part.Inline page
            && page.mimeType().equals("image/png"));
    TaskRequest task = kit.tasks.tasks().get(0);
    assertEquals(jobId + "-cleanup-1", task.taskId());
    assertEquals("ocr-steps", task.queue());
    assertEquals(OcrTestKit.CLEANUP_URL, task.url());
    assertEquals(OcrTestKit.TASKS_SA, task.oidcServiceAccount());
    assertEquals(OcrTestKit.CLEANUP_URL, task.oidcAudience());
  }

  @Test
  void theSameMessageTwiceMeansOneOcrCallAndOneTask() throws Exception {
    kit.models.otherwise(request -> ScriptedModels.text("some text"));
    worker.accept(message("m1"));
    worker.accept(message("m1"));
    worker.accept(message("m2")); // published twice: a different message for the same job

    assertEquals(2, kit.models.requests().size(), "two pages, read once");
    assertEquals(1, kit.tasks.tasks().size());
    assertEquals(1, kit.tasks.duplicates(), "the second message's chain was refused by name");
  }

  @Test
  void rateLimitsAreRedeliveredUntilTheLastAttemptFailsTheJob() throws Exception {
    kit.models.otherwise(request -> ScriptedModels.failure(ModelException.Kind.RATE_LIMITED));
    assertThrows(StepResponses.StepRetryException.class, () -> worker.accept(message("m1")));
    assertThrows(StepResponses.StepRetryException.class, () -> worker.accept(message("m1")));
    assertEquals("processing", job().get("status"));

    worker.accept(message("m1")); // the third of OCR_WORKER_MAX_ATTEMPTS=3

    assertEquals("failed", job().get("status"));
    assertEquals("model_rate_limited", ((Map<?, ?>) job().get("error")).get("code"));
    assertTrue(kit.jobs.get("deadLetters", "ocrJobs-" + jobId + "-ocr-1").isPresent());
    assertTrue(kit.tasks.tasks().isEmpty());
  }

  @Test
  void aLeaseLeftByADeadInstanceIsTakenOverByTheMessagesLastDelivery() throws Exception {
    // An earlier delivery leased the step and its instance died: the lease outlives it.
    kit.jobs.merge(
        OcrJob.COLLECTION,
        jobId,
        Map.of(
            "status", "processing",
            "steps.ocr.state", "running",
            "steps.ocr.attempt", 1L,
            "steps.ocr.leaseOwner", "dead-instance",
            "steps.ocr.leaseExpiry", Instant.now().plusSeconds(120)));
    kit.models.otherwise(request -> ScriptedModels.text("some text"));

    assertThrows(StepResponses.StepRetryException.class, () -> worker.accept(message("m1")));
    assertEquals(1L, JobDocument.step(job(), "ocr").get("busyDeliveries"));
    assertTrue(kit.models.requests().isEmpty(), "busy: Eventarc redelivers with its backoff");

    worker.accept(message("m1")); // lease 1 + busy 1 + this = OCR_WORKER_MAX_ATTEMPTS (3)

    assertEquals("done", JobDocument.step(job(), "ocr").get("state"));
    assertEquals(2L, JobDocument.step(job(), "ocr").get("attempt"));
    assertEquals(1, kit.tasks.tasks().size());
  }

  @Test
  void pagesWithoutTextFailTheJobAtOnce() throws Exception {
    kit.models.otherwise(request -> ScriptedModels.text("  "));
    worker.accept(message("m1"));
    assertEquals("failed", job().get("status"));
    assertEquals("no_text_found", ((Map<?, ?>) job().get("error")).get("code"));
  }

  @Test
  void aMessageWithoutAJobIsAcknowledgedAndIgnored() throws Exception {
    worker.accept(
        PubSubEvents.messagePublished(
            OcrTestKit.PROJECT, "ocr-jobs", "m9", "hello".getBytes(), Map.of()));
    worker.accept(
        PubSubEvents.messagePublished(
            OcrTestKit.PROJECT, "ocr-jobs", "m10", "{\"jobId\":\"../../x\"}".getBytes(), Map.of()));
    assertTrue(kit.models.requests().isEmpty());
    assertEquals("queued", job().get("status"));
  }
}
