package dev.mise.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.config.Env;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.common.logging.Log;
import dev.mise.common.tasks.TaskRequest;
import dev.mise.common.testing.InMemoryBlobStore;
import dev.mise.common.testing.RecordingTaskQueue;
import dev.mise.emulators.google.SharedEmulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The step runner on the real Firestore client against gcloud's emulator: field shapes survive the
 * round trip (attempts as Long, leases as Instant, dotted merges keep sibling steps), and
 * deliveries racing each other in real transactions run the work exactly once.
 */
@Tag("emulator")
class StepRunnerFirestoreContractTest {
  private static FirestoreJobStore store;
  private final String collection = "runner-" + UUID.randomUUID().toString().substring(0, 8);
  private final RecordingTaskQueue queue = new RecordingTaskQueue();
  private final Log log = Log.to("contract");
  private StepRunner runner;

  @BeforeAll
  static void connect() {
    store =
        new FirestoreJobStore(
            new Env(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    "demo-pipeline-test",
                    "FIRESTORE_EMULATOR_HOST",
                    SharedEmulators.firestore().host())));
  }

  @AfterAll
  static void disconnect() throws Exception {
    store.close();
  }

  @BeforeEach
  void job() {
    runner =
        new StepRunner(
            store,
            new InMemoryBlobStore(),
            queue,
            Clock.systemUTC(),
            StepRunner.Settings.defaults());
    store.create(
        collection, "j1", JobDocument.newJob("alice", Instant.now(), Duration.ofDays(1), Map.of()));
  }

  /** StepRunnerTest's scripted step; "cleanup" completes the job with a recipe. */
  private static StepRunnerTest.ScriptedStep step(String name, String next, String output) {
    return new StepRunnerTest.ScriptedStep(
        name,
        next,
        context -> {
          Thread.sleep(200); // long enough for the racing deliveries to meet the lease
          return name.equals("cleanup")
              ? StepResult.completing(
                  output, Map.of("result", Map.of("title", "Soup", "servings", 4)))
              : StepResult.of(output);
        });
  }

  @Test
  void twoStepsCommitTheirShapesThroughTheRealClient() {
    assertInstanceOf(
        StepOutcome.Done.class,
        runner.run(new StepCall(collection, "j1", 1, 5, log), step("ocr", "cleanup", "{\"t\":1}")));
    assertInstanceOf(
        StepOutcome.Done.class,
        runner.run(new StepCall(collection, "j1", 1, 5, log), step("cleanup", null, "{\"r\":1}")));

    Map<String, Object> job = store.get(collection, "j1").orElseThrow();
    assertEquals("completed", job.get("status"));
    Map<String, Object> ocr = JobDocument.step(job, "ocr");
    assertEquals("done", ocr.get("state"), "the cleanup merge kept its sibling");
    assertEquals(1L, ocr.get("attempt"));
    assertInstanceOf(Instant.class, ocr.get("leaseExpiry"));
    assertInstanceOf(Long.class, ocr.get("ms"));
    assertEquals(Map.of("title", "Soup", "servings", 4L), job.get("result"));
    assertEquals(List.of("j1-cleanup-1"), queue.tasks().stream().map(TaskRequest::taskId).toList());
  }

  @Test
  void racingDeliveriesRunTheWorkOnce() throws Exception {
    StepRunnerTest.ScriptedStep ocr = step("ocr", "cleanup", "{\"t\":2}");
    int deliveries = 3;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StepOutcome>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(deliveries)) {
      for (int i = 0; i < deliveries; i++) {
        int attempt = i + 1;
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  return runner.run(new StepCall(collection, "j1", 1, 5, log), ocr);
                }));
      }
      start.countDown();
      int done = 0;
      for (Future<StepOutcome> outcome : outcomes) {
        StepOutcome result = outcome.get();
        assertTrue(
            result instanceof StepOutcome.Done || result instanceof StepOutcome.Busy,
            "unexpected " + result);
        done += result instanceof StepOutcome.Done d && !d.memoized() ? 1 : 0;
      }
      assertEquals(1, done, "exactly one delivery did the work");
    }
    assertEquals(1, ocr.runs.get());
    assertEquals(1, queue.tasks().size());
    assertEquals(
        1L, JobDocument.step(store.get(collection, "j1").orElseThrow(), "ocr").get("attempt"));
  }

  @Test
  void busyAnswersToEventsAreCountedInTheirTransactionsAndAGiveUpFailsAnIdleJob() throws Exception {
    StepRunnerTest.ScriptedStep ocr = step("ocr", "cleanup", "{\"t\":3}");
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StepOutcome>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
      for (int i = 0; i < 3; i++) {
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  return runner.run(StepCall.fromEvent(collection, "j1", 5, log), ocr);
                }));
      }
      start.countDown();
      long busy = 0;
      for (Future<StepOutcome> outcome : outcomes) {
        busy += outcome.get() instanceof StepOutcome.Busy ? 1 : 0;
      }
      Map<String, Object> record =
          JobDocument.step(store.get(collection, "j1").orElseThrow(), "ocr");
      assertEquals(busy == 0 ? null : busy, record.get("busyDeliveries"));
    }
    assertInstanceOf(
        StepOutcome.Done.class,
        runner.giveUp(StepCall.fromEvent(collection, "j1", 5, log), ocr, "delivery_exhausted", "x"),
        "a done step is not failed");

    store.create(
        collection, "j2", JobDocument.newJob("alice", Instant.now(), Duration.ofDays(1), Map.of()));
    assertEquals(
        new StepOutcome.Failed("delivery_exhausted", "x"),
        runner.giveUp(new StepCall(collection, "j2", 5, 5, log), ocr, "delivery_exhausted", "x"));
    Map<String, Object> job = store.get(collection, "j2").orElseThrow();
    assertEquals("failed", job.get("status"));
    assertEquals("failed", JobDocument.step(job, "ocr").get("state"));
    assertEquals(
        5L, store.get("deadLetters", collection + "-j2-ocr-1").orElseThrow().get("attempts"));
  }

  @Test
  void theLastAttemptLeavesAFailedJobAndADeadLetter() {
    Step flaky =
        new Step() {
          @Override
          public String name() {
            return "ocr";
          }

          @Override
          public StepResult run(StepContext context) {
            throw new IllegalStateException("model unavailable");
          }
        };
    assertInstanceOf(
        StepOutcome.Retry.class, runner.run(new StepCall(collection, "j1", 1, 2, log), flaky));
    StepOutcome.Failed failed =
        assertInstanceOf(
            StepOutcome.Failed.class, runner.run(new StepCall(collection, "j1", 2, 2, log), flaky));
    assertEquals("retries_exhausted", failed.code());
    Map<String, Object> job = store.get(collection, "j1").orElseThrow();
    assertEquals("failed", job.get("status"));
    assertEquals("retries_exhausted", ((Map<?, ?>) job.get("error")).get("code"));
    assertTrue(store.get("deadLetters", collection + "-j1-ocr-1").isPresent());
  }
}
