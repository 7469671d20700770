package dev.mise.ocr;

import com.google.gson.JsonParser;
import dev.mise.common.auth.LocalToken;
import dev.mise.common.config.Env;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.common.testing.MultipartBody;
import dev.mise.emulators.gemini.Answer;
import dev.mise.emulators.gemini.RequestKind;
import dev.mise.emulators.google.SharedEmulators;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Opt-in (tag {@code benchmark}): upload-to-completed latency through the whole local stack, minus
 * the model time on the critical path (the stand-in answers every call after a fixed delay; the
 * pages are read in parallel, so a one-page job waits for two calls). Prints the median of 10;
 * asserts nothing about time.
 */
@Tag("benchmark")
class OcrLatencyBenchmark {
  private static final Duration MODEL_LATENCY = Duration.ofMillis(300);
  private static final int JOBS = 10;

  @Test
  void uploadToCompletedMinusModelTime() throws Exception {
    String project = "demo-ocr-bench";
    try (OcrStack stack = OcrStack.start(project, 3);
        FirestoreJobStore firestore =
            new FirestoreJobStore(
                new Env(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT",
                        project,
                        "FIRESTORE_EMULATOR_HOST",
                        SharedEmulators.firestore().host())));
        HttpClient http = HttpClient.newHttpClient()) {
      stack.gemini.setLatency(RequestKind.TEXT, MODEL_LATENCY);
      byte[] page = OcrStack.sample("pancakes.png");
      List<Long> overheads = new ArrayList<>();
      for (int i = 0; i < JOBS + 1; i++) {
        stack.gemini.enqueue(Answer.text("Fluffy Pancakes\nServes 4\n200 g plain flour\n2 eggs"));
        stack.gemini.enqueue(Answer.text(RecipeExtractorTest.PANCAKES));
        MultipartBody body = new MultipartBody().file("image", "p.png", "image/png", page);
        Instant start = Instant.now();
        HttpResponse<String> accepted =
            http.send(
                HttpRequest.newBuilder(stack.url(stack.upload, "/api/ocr/upload"))
                    .header("Content-Type", body.contentType())
                    .header(
                        "Authorization",
                        "Bearer "
                            + LocalToken.forUser(
                                "bench", project, Instant.now(), Duration.ofHours(1)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.build()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        String jobId =
            JsonParser.parseString(accepted.body()).getAsJsonObject().get("jobId").getAsString();
        Instant completed = awaitCompleted(firestore, jobId);
        long overhead =
            Duration.between(start, completed).minus(MODEL_LATENCY.multipliedBy(2)).toMillis();
        if (i > 0) { // the first job warms the JVMs up
          overheads.add(overhead);
        }
      }
      List<Long> sorted = overheads.stream().sorted().toList();
      long median = (sorted.get(JOBS / 2 - 1) + sorted.get(JOBS / 2)) / 2;
      System.out.printf(
          "ocr-status: upload-to-completed minus model time, median of %d: %d ms (all: %s; model latency %d ms x 2)%n",
          JOBS, median, overheads, MODEL_LATENCY.toMillis());
    }
  }

  private static Instant awaitCompleted(FirestoreJobStore firestore, String jobId)
      throws InterruptedException {
    Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(giveUp)) {
      Map<String, Object> job = firestore.get(OcrJob.COLLECTION, jobId).orElseThrow();
      if ("completed".equals(job.get("status"))) {
        return (Instant) job.get("updatedAt");
      }
      if ("failed".equals(job.get("status"))) {
        throw new AssertionError("job failed: " + job.get("error"));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("job did not complete");
  }
}
