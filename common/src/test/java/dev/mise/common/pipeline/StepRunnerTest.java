package dev.mise.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.logging.Log;
import dev.mise.common.models.ModelException;
import dev.mise.common.tasks.TaskRequest;
import dev.mise.common.testing.CountingJobStore;
import dev.mise.common.testing.InMemoryBlobStore;
import dev.mise.common.testing.InMemoryJobStore;
import dev.mise.common.testing.MovableClock;
import dev.mise.common.testing.RecordingTaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepRunnerTest {
  private static final String JOBS = "testJobs";
  private static final Duration LEASE = Duration.ofMinutes(2);

  private final MovableClock clock = new MovableClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final InMemoryJobStore memory = new InMemoryJobStore();
  private final CountingJobStore jobs = new CountingJobStore(memory);
  private final InMemoryBlobStore blobs = new InMemoryBlobStore("http://127.0.0.1:1");
  private final RecordingTaskQueue queue = new RecordingTaskQueue();
  private final Log log = Log.to("test");
  private StepRunner runner;

  @BeforeEach
  void setUp() {
    runner =
        new StepRunner(
            jobs,
            blobs,
            queue,
            clock,
            new StepRunner.Settings(LEASE, 1000, "deadLetters", Duration.ofDays(30)));
    memory.create(
        JOBS, "job1", JobDocument.newJob("alice", clock.instant(), Duration.ofDays(7), Map.of()));
    jobs.reset();
  }

  /** A step whose behaviour each test scripts; counts its runs. */
  static final class ScriptedStep implements Step {
    interface Body {
      StepResult run(StepContext context) throws Exception;
    }

    final AtomicInteger runs = new AtomicInteger();
    private final String name;
    private final Body body;
    private final String next;

    ScriptedStep(String name, String next, Body body) {
      this.name = name;
      this.next = next;
      this.body = body;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
      runs.incrementAndGet();
      return body.run(context);
    }

    @Override
    public Optional<NextStep> next(StepContext context, String output) {
      return next == null
          ? Optional.empty()
          : Optional.of(
              new NextStep(
                  next,
                  TaskRequest.postJson(
                      "steps",
                      null,
                      "http://127.0.0.1:9/" + next,
                      "{\"jobId\":\"" + context.jobId() + "\"}")));
    }

    @Override
    public String exhaustedCode(Exception cause) {
      return cause instanceof ModelException ? "model_unavailable" : "retries_exhausted";
    }
  }

  private StepCall delivery(int attempt, int max) {
    return new StepCall(JOBS, "job1", attempt, max, log);
  }

  private Map<String, Object> job() {
    return memory.get(JOBS, "job1").orElseThrow();
  }

  private Map<String, Object> step(String name) {
    return JobDocument.step(job(), name);
  }

  @Test
  void runsLeasesCommitsAndChainsInTwoWrites() {
    ScriptedStep ocr = new ScriptedStep("ocr", "cleanup", c -> StepResult.of("{\"text\":\"hi\"}"));
    StepOutcome outcome = runner.run(delivery(1, 5), ocr);

    assertEquals(new StepOutcome.Done("{\"text\":\"hi\"}", false), outcome);
    assertEquals(2, jobs.writes(), "one lease, one commit");
    assertEquals("processing", job().get("status"));
    assertEquals("done", step("ocr").get("state"));
    assertEquals(1L, step("ocr").get("attempt"));
    assertEquals("{\"text\":\"hi\"}", step("ocr").get("output"));
    assertEquals(1, queue.tasks().size());
    assertEquals("job1-cleanup-1", queue.tasks().get(0).taskId());
  }

  @Test
  void aDuplicateDeliveryReusesTheOutputAndTheQueueDropsTheSecondTask() {
    ScriptedStep ocr = new ScriptedStep("ocr", "cleanup", c -> StepResult.of("{}"));
    runner.run(delivery(1, 5), ocr);
    jobs.reset();

    StepOutcome again = runner.run(delivery(1, 5), ocr);

    assertEquals(new StepOutcome.Done("{}", true), again);
    assertEquals(1, ocr.runs.get(), "the work ran once");
    assertEquals(0, jobs.writes(), "a memoized delivery writes nothing");
    assertEquals(1, queue.tasks().size());
    assertEquals(1, queue.duplicates(), "the re-chain was refused by name");
  }

  @Test
  void aLiveLeaseOfAnotherDeliveryIsBusyUntilItExpires() {
    StepOutcome[] inner = new StepOutcome[1];
    ScriptedStep[] holder = new ScriptedStep[1];
    holder[0] =
        new ScriptedStep(
            "ocr",
            null,
            c -> {
              if (holder[0].runs.get() == 1) {
                inner[0] = runner.run(delivery(2, 5), holder[0]);
              }
              return StepResult.of("{}");
            });
    runner.run(delivery(1, 5), holder[0]);

    StepOutcome.Busy busy = assertInstanceOf(StepOutcome.Busy.class, inner[0]);
    assertEquals(LEASE, busy.retryAfter());
    assertFalse(busy.acknowledged());
    assertEquals(1, holder[0].runs.get());
  }

  @Test
  void aWorkerKilledBeforeCommitIsFinishedByTheRetryAndNeverRunsAgainAfter() {
    AtomicInteger modelCalls = new AtomicInteger();
    ScriptedStep ocr =
        new ScriptedStep(
            "ocr",
            "cleanup",
            c -> {
              modelCalls.incrementAndGet();
              if (c.attempt() == 1) {
                throw new Killed(); // the instance dies after the model answered
              }
              return StepResult.of("{\"text\":\"page\"}");
            });
    assertThrows(Killed.class, () -> runner.run(delivery(1, 5), ocr));
    assertEquals("running", step("ocr").get("state"));

    assertInstanceOf(
        StepOutcome.Busy.class, runner.run(delivery(2, 5), ocr), "the dead lease still holds");
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(
        new StepOutcome.Done("{\"text\":\"page\"}", false), runner.run(delivery(3, 5), ocr));
    assertEquals(2L, step("ocr").get("attempt"));

    assertEquals(
        new StepOutcome.Done("{\"text\":\"page\"}", true), runner.run(delivery(4, 5), ocr));
    assertEquals(2, modelCalls.get(), "no run after the commit");
    assertEquals(1, queue.tasks().size());
  }

  @Test
  void aDeliveryWhoseLeaseWasTakenOverCannotCommit() {
    ScriptedStep[] holder = new ScriptedStep[1];
    StepOutcome[] takeover = new StepOutcome[1];
    String big = "{\"text\":\"" + "x".repeat(2000) + "\"}";
    holder[0] =
        new ScriptedStep(
            "ocr",
            null,
            c -> {
              if (c.attempt() == 1) {
                // the queue's last delivery arrives while this one still works, and takes over
                takeover[0] = runner.run(delivery(5, 5), holder[0]);
                return StepResult.of(big.replace('x', 'a'));
              }
              return StepResult.of(big.replace('x', 'b'));
            });

    StepOutcome first = runner.run(delivery(1, 5), holder[0]);

    assertEquals(new StepOutcome.Superseded(1), first);
    assertEquals(new StepOutcome.Done(big.replace('x', 'b'), false), takeover[0]);
    assertEquals(2L, step("ocr").get("attempt"));
    assertTrue(
        step("ocr").get("outputRef") instanceof String, "a large output goes to the blob store");
    assertEquals(1, blobs.keys().size(), "the superseded output's blob was removed");
  }

  @Test
  void aPermanentFailureFailsTheJobAtOnce() {
    ScriptedStep ocr =
        new ScriptedStep(
            "ocr",
            "cleanup",
            c -> {
              throw new StepFailedException("no_text_found", "No text on the pages.");
            });

    assertEquals(
        new StepOutcome.Failed("no_text_found", "No text on the pages."),
        runner.run(delivery(1, 5), ocr));
    assertEquals("failed", job().get("status"));
    assertEquals(
        Map.of("code", "no_text_found", "message", "No text on the pages."), job().get("error"));
    assertTrue(memory.paths().stream().noneMatch(p -> p.startsWith("deadLetters/")));
    assertTrue(queue.tasks().isEmpty());
    assertInstanceOf(
        StepOutcome.Failed.class,
        runner.run(delivery(2, 5), ocr),
        "later deliveries are acknowledged");
    assertEquals(1, ocr.runs.get());
  }

  @Test
  void transientFailuresReleaseTheLeaseUntilTheLastAttemptFailsWithADeadLetter() {
    ScriptedStep ocr =
        new ScriptedStep(
            "ocr",
            "cleanup",
            c -> {
              throw new ModelException(ModelException.Kind.RATE_LIMITED, "429", null);
            });

    for (int attempt = 1; attempt < 5; attempt++) {
      StepOutcome outcome = runner.run(delivery(attempt, 5), ocr);
      assertInstanceOf(StepOutcome.Retry.class, outcome, "attempt " + attempt);
      assertEquals("retrying", step("ocr").get("state"));
    }
    assertEquals("processing", job().get("status"));

    StepOutcome last = runner.run(delivery(5, 5), ocr);

    StepOutcome.Failed failed = assertInstanceOf(StepOutcome.Failed.class, last);
    assertEquals("model_unavailable", failed.code());
    assertEquals("failed", job().get("status"));
    Map<String, Object> letter = memory.get("deadLetters", "testJobs-job1-ocr-1").orElseThrow();
    assertEquals("model_unavailable", letter.get("code"));
    assertEquals(5L, letter.get("attempts"));
    assertTrue(String.valueOf(letter.get("cause")).contains("429"));
  }

  @Test
  void withoutDeliveryNumbersTheLeaseCountDecidesTheLastAttempt() {
    ScriptedStep ocr =
        new ScriptedStep(
            "ocr",
            null,
            c -> {
              throw new IllegalStateException("flaky");
            });
    StepCall event = StepCall.fromEvent(JOBS, "job1", 3, log);
    assertInstanceOf(StepOutcome.Retry.class, runner.run(event, ocr));
    assertInstanceOf(StepOutcome.Retry.class, runner.run(event, ocr));
    assertEquals(
        new StepOutcome.Failed("retries_exhausted", "The ocr step kept failing and was given up."),
        runner.run(event, ocr));
  }

  @Test
  void withoutDeliveryNumbersBusyAnswersAreCountedAndTheLastDeliveryTakesOver() {
    ScriptedStep ocr =
        new ScriptedStep(
            "ocr",
            null,
            c -> {
              if (c.attempt() == 1) {
                throw new Killed(); // the holder dies and leaves its lease behind
              }
              return StepResult.of("{}");
            });
    StepCall event = StepCall.fromEvent(JOBS, "job1", 5, log);
    assertThrows(Killed.class, () -> runner.run(event, ocr));
    jobs.reset();

    for (int delivery = 2; delivery <= 4; delivery++) {
      assertInstanceOf(StepOutcome.Busy.class, runner.run(event, ocr), "delivery " + delivery);
    }
    assertEquals(3L, step("ocr").get("busyDeliveries"));
    assertEquals(3, jobs.writes(), "one write per busy answer");

    assertEquals(new StepOutcome.Done("{}", false), runner.run(event, ocr), "the fifth delivery");
    assertEquals(2L, step("ocr").get("attempt"));
    assertEquals(2, ocr.runs.get());
  }

  @Test
  void busyAnswersToNumberedDeliveriesWriteNothing() {
    ScriptedStep ocr =
        new ScriptedStep(
            "ocr",
            null,
            c -> {
              throw new Killed();
            });
    assertThrows(Killed.class, () -> runner.run(delivery(1, 5), ocr));
    jobs.reset();

    assertInstanceOf(StepOutcome.Busy.class, runner.run(delivery(2, 5), ocr));
    assertEquals(0, jobs.writes());
    assertFalse(step("ocr").containsKey("busyDeliveries"));
  }

  @Test
  void givingUpFailsAJobNoDeliveryIsWorkingOnWithADeadLetter() {
    ScriptedStep ocr =
        new ScriptedStep(
            "ocr",
            "cleanup",
            c -> {
              throw new IllegalStateException("model overloaded");
            });
    assertInstanceOf(
        StepOutcome.Retry.class, runner.run(StepCall.fromEvent(JOBS, "job1", 5, log), ocr));

    StepOutcome outcome =
        runner.giveUp(new StepCall(JOBS, "job1", 5, 5, log), ocr, "delivery_exhausted", "Gave up.");

    assertEquals(new StepOutcome.Failed("delivery_exhausted", "Gave up."), outcome);
    assertEquals("failed", job().get("status"));
    assertEquals(Map.of("code", "delivery_exhausted", "message", "Gave up."), job().get("error"));
    assertEquals("failed", step("ocr").get("state"));
    Map<String, Object> letter = memory.get("deadLetters", "testJobs-job1-ocr-1").orElseThrow();
    assertEquals("delivery_exhausted", letter.get("code"));
    assertEquals(5L, letter.get("attempts"));
    assertTrue(String.valueOf(letter.get("cause")).contains("model overloaded"), letter.toString());
    assertTrue(queue.tasks().isEmpty());

    jobs.reset();
    assertEquals(
        outcome,
        runner.giveUp(new StepCall(JOBS, "job1", 5, 5, log), ocr, "delivery_exhausted", "Gave up."),
        "a repeated dead letter finds the job over");
    assertEquals(0, jobs.writes());
  }

  @Test
  void givingUpWaitsForALiveLeaseAndFencesOutALateCommit() {
    ScriptedStep[] holder = new ScriptedStep[1];
    StepOutcome[] givenUp = new StepOutcome[2];
    holder[0] =
        new ScriptedStep(
            "ocr",
            null,
            c -> {
              StepCall dead = StepCall.fromEvent(JOBS, "job1", 5, log);
              givenUp[0] = runner.giveUp(dead, holder[0], "delivery_exhausted", "Gave up.");
              clock.advance(LEASE.plusSeconds(1)); // the holder outlives its lease
              givenUp[1] = runner.giveUp(dead, holder[0], "delivery_exhausted", "Gave up.");
              return StepResult.of("{}");
            });

    StepOutcome late = runner.run(StepCall.fromEvent(JOBS, "job1", 5, log), holder[0]);

    StepOutcome.Busy busy = assertInstanceOf(StepOutcome.Busy.class, givenUp[0]);
    assertEquals(LEASE, busy.retryAfter());
    assertInstanceOf(StepOutcome.Failed.class, givenUp[1]);
    assertEquals(new StepOutcome.Superseded(1), late);
    assertEquals("failed", job().get("status"));
  }

  @Test
  void givingUpOnADoneStepRepeatsItsChainInsteadOfFailingTheJob() {
    ScriptedStep ocr = new ScriptedStep("ocr", "cleanup", c -> StepResult.of("{}"));
    runner.run(delivery(1, 5), ocr);

    assertEquals(
        new StepOutcome.Done("{}", true),
        runner.giveUp(StepCall.fromEvent(JOBS, "job1", 5, log), ocr, "delivery_exhausted", "x"));
    assertEquals("processing", job().get("status"));
    assertEquals(1, queue.tasks().size());
    assertEquals(1, queue.duplicates(), "the chain was there already");
    assertEquals(1, ocr.runs.get());
  }

  @Test
  void givingUpOnADoneStepWhoseChainCannotBeQueuedFailsTheJob() {
    ScriptedStep ocr = new ScriptedStep("ocr", "cleanup", c -> StepResult.of("{}"));
    queue.failNext(2);
    assertEquals(
        new StepOutcome.Retry("next step not enqueued"),
        runner.run(StepCall.fromEvent(JOBS, "job1", 5, log), ocr));

    StepOutcome outcome =
        runner.giveUp(StepCall.fromEvent(JOBS, "job1", 5, log), ocr, "delivery_exhausted", "x");

    StepOutcome.Failed failed = assertInstanceOf(StepOutcome.Failed.class, outcome);
    assertEquals("retries_exhausted", failed.code(), "the step's code for a queue failure");
    assertEquals("failed", job().get("status"));
    assertEquals("done", step("ocr").get("state"), "the step itself had finished");
    assertTrue(memory.get("deadLetters", "testJobs-job1-ocr-1").isPresent());
  }

  @Test
  void givingUpLeavesFinishedAndMissingJobsAlone() {
    ScriptedStep cleanup =
        new ScriptedStep("cleanup", null, c -> StepResult.completing("{}", Map.of()));
    runner.run(delivery(1, 5), cleanup);
    jobs.reset();

    assertEquals(
        new StepOutcome.Skipped("job already completed"),
        runner.giveUp(
            StepCall.fromEvent(JOBS, "job1", 5, log), cleanup, "delivery_exhausted", "x"));
    assertEquals(
        new StepOutcome.Skipped("job not found"),
        runner.giveUp(
            StepCall.fromEvent(JOBS, "nope", 5, log), cleanup, "delivery_exhausted", "x"));
    assertEquals(0, jobs.writes());
    assertEquals("completed", job().get("status"));
  }

  @Test
  void largeOutputsLiveInTheBlobStoreAndLaterStepsReadThem() {
    String big = "{\"text\":\"" + "y".repeat(5000) + "\"}";
    runner.run(delivery(1, 5), new ScriptedStep("ocr", null, c -> StepResult.of(big)));
    String[] seen = new String[1];
    ScriptedStep cleanup =
        new ScriptedStep(
            "cleanup",
            null,
            c -> {
              seen[0] = c.outputOf("ocr").orElseThrow();
              return StepResult.completing("{}", Map.of("result", Map.of("ok", true)));
            });

    assertInstanceOf(StepOutcome.Done.class, runner.run(delivery(1, 5), cleanup));
    assertEquals(big, seen[0]);
    assertEquals("completed", job().get("status"));
    assertEquals(Map.of("ok", true), job().get("result"));
  }

  @Test
  void aLostEnqueueIsRetriedThroughTheMemoizedPath() {
    ScriptedStep ocr = new ScriptedStep("ocr", "cleanup", c -> StepResult.of("{}"));
    queue.failNext(1);
    assertEquals(new StepOutcome.Retry("next step not enqueued"), runner.run(delivery(1, 5), ocr));
    assertEquals("done", step("ocr").get("state"));

    assertEquals(new StepOutcome.Done("{}", true), runner.run(delivery(2, 5), ocr));
    assertEquals(1, ocr.runs.get());
    assertEquals(1, queue.tasks().size());
  }

  @Test
  void aMissingJobIsSkipped() {
    StepOutcome outcome =
        runner.run(
            new StepCall(JOBS, "nope", 1, 5, log),
            new ScriptedStep("ocr", null, c -> StepResult.of("{}")));
    assertEquals(new StepOutcome.Skipped("job not found"), outcome);
    assertTrue(outcome.acknowledged());
  }

  /** Stands for the instance dying: not an Exception, so nothing below catches it. */
  static final class Killed extends Error {}
}
