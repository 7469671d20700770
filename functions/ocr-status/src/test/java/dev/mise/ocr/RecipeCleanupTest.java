package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.auth.LocalToken;
import dev.mise.common.models.ModelException;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import dev.mise.common.testing.ScriptedModels;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecipeCleanupTest {
  private final OcrTestKit kit = new OcrTestKit();
  private final RecipeCleanup cleanup = new RecipeCleanup(kit.services);
  private final String jobId = "job0000000000000002";

  @BeforeEach
  void jobWhoseOcrIsDone() {
    Map<String, Object> job =
        new HashMap<>(
            JobDocument.newJob(
                "alice", Instant.now().minusSeconds(3), Duration.ofDays(7), Map.of()));
    job.put("status", "processing");
    job.put(
        "steps",
        Map.of(
            "ocr",
            Map.of(
                "state",
                "done",
                "attempt",
                1L,
                "ms",
                1200L,
                "output",
                "{\"pages\":[\"PANCAKES\",\"200 g flour\"]}")));
    kit.jobs.create(OcrJob.COLLECTION, jobId, job);
  }

  private FakeHttpResponse deliver(String token, int retryCount) {
    FakeHttpRequest request =
        FakeHttpRequest.post("/")
            .json("{\"jobId\":\"" + jobId + "\"}")
            .header("X-CloudTasks-QueueName", "ocr-steps")
            .header("X-CloudTasks-TaskName", jobId + "-cleanup-1")
            .header("X-CloudTasks-TaskRetryCount", Integer.toString(retryCount))
            .header("X-CloudTasks-TaskExecutionCount", "0");
    if (token != null) {
      request.header("Authorization", token);
    }
    FakeHttpResponse response = new FakeHttpResponse();
    cleanup.service(request, response);
    return response;
  }

  private Map<String, Object> job() {
    return kit.jobs.get(OcrJob.COLLECTION, jobId).orElseThrow();
  }

  @Test
  void completesTheJobWithTheRecipeAndTimings() {
    kit.models.then(ScriptedModels.text(RecipeExtractorTest.PANCAKES));

    FakeHttpResponse response = deliver(OcrTestKit.tasksToken(), 0);

    assertEquals(200, response.status(), response.bodyText());
    Map<String, Object> job = job();
    assertEquals("completed", job.get("status"));
    Map<?, ?> result = (Map<?, ?>) job.get("result");
    assertEquals("Pancakes", ((Map<?, ?>) result.get("recipe")).get("title"));
    assertEquals(4L, ((Map<?, ?>) result.get("recipe")).get("servings"));
    assertEquals("PANCAKES\n\n200 g flour", result.get("rawText"));
    assertTrue(((Number) job.get("processingMs")).longValue() >= 3000);
    assertEquals(1200L, ((Map<?, ?>) job.get("timings")).get("ocrMs"));

    FakeHttpResponse again = deliver(OcrTestKit.tasksToken(), 1);
    assertEquals(200, again.status());
    assertEquals(true, again.json().get("memoized").getAsBoolean());
    assertEquals(1, kit.models.requests().size(), "a duplicate task calls no model");
  }

  @Test
  void onlyTheTasksServiceAccountMayCall() {
    assertEquals(401, deliver(null, 0).status());
    assertEquals(401, deliver(OcrTestKit.userToken("alice"), 0).status());
    String stranger =
        "Bearer "
            + LocalToken.forServiceAccount(
                "x@evil.iam.gserviceaccount.com",
                OcrTestKit.CLEANUP_URL,
                Instant.now(),
                Duration.ofHours(1));
    assertEquals(403, deliver(stranger, 0).status());
    assertTrue(kit.models.requests().isEmpty());
  }

  @Test
  void invalidModelOutputFailsTheJobAfterOneRepairNotA500Loop() {
    kit.models.then(ScriptedModels.text("{\"title\":"), ScriptedModels.text("[]"));
    FakeHttpResponse response = deliver(OcrTestKit.tasksToken(), 0);
    assertEquals(200, response.status());
    assertEquals("failed", job().get("status"));
    assertEquals("invalid_model_output", ((Map<?, ?>) job().get("error")).get("code"));
    assertEquals(2, kit.models.requests().size());
  }

  @Test
  void rateLimitsAre503UntilTheQueuesLastAttempt() {
    kit.models.otherwise(request -> ScriptedModels.failure(ModelException.Kind.UNAVAILABLE));
    FakeHttpResponse first = deliver(OcrTestKit.tasksToken(), 0);
    assertEquals(503, first.status());
    assertEquals("processing", job().get("status"));
    assertEquals(503, deliver(OcrTestKit.tasksToken(), 1).status());

    FakeHttpResponse last = deliver(OcrTestKit.tasksToken(), 2); // attempt 3 of 3

    assertEquals(200, last.status());
    assertEquals("failed", job().get("status"));
    assertEquals("model_unavailable", ((Map<?, ?>) job().get("error")).get("code"));
    assertTrue(kit.jobs.get("deadLetters", "ocrJobs-" + jobId + "-cleanup-1").isPresent());
  }

  @Test
  void aBodyThatIsNotATaskIs400() {
    FakeHttpRequest request =
        FakeHttpRequest.post("/")
            .json("{\"jobId\":\"" + jobId + "\",\"extra\":1}")
            .header("Authorization", OcrTestKit.tasksToken());
    FakeHttpResponse response = new FakeHttpResponse();
    cleanup.service(request, response);
    assertEquals(400, response.status());
    assertEquals(
        "/extra",
        response
            .json()
            .getAsJsonArray("errors")
            .get(0)
            .getAsJsonObject()
            .get("pointer")
            .getAsString());
  }
}
