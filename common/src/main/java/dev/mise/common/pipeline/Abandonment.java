package dev.mise.common.pipeline;

import dev.mise.common.jobs.JobStore;
import dev.mise.common.jobs.JobStore.Change;
import dev.mise.common.logging.Log;
import dev.mise.common.tasks.TaskQueueException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StepRunner#giveUp}: fails a job whose step's trigger stopped delivering, unless waiting
 * loses nothing (the job is over, a delivery still holds the step, or the step is done and only its
 * chain needs repeating).
 */
final class Abandonment {
  private final JobStore jobs;
  private final StepOutputs outputs;
  private final StepChain chain;
  private final DeadLetters letters;
  private final Clock clock;

  Abandonment(
      JobStore jobs, StepOutputs outputs, StepChain chain, DeadLetters letters, Clock clock) {
    this.jobs = jobs;
    this.outputs = outputs;
    this.chain = chain;
    this.letters = letters;
    this.clock = clock;
  }

  StepOutcome giveUp(StepCall call, Step step, String code, String message) {
    Log log = call.log().with("jobId", call.jobId()).with("step", step.name());
    Instant now = clock.instant();
    Map<String, Object> failure = StepRecord.failure(step.name(), code, message, now);
    Acquisition found =
        jobs.transact(
            call.collection(),
            call.jobId(),
            doc -> decide(doc, step.name(), failure, now, call.deliveryAttempt()));
    return switch (found) {
      case Acquisition.Missing missing -> {
        log.warn("job not found; nothing to give up");
        yield new StepOutcome.Skipped("job not found");
      }
      case Acquisition.Ended ended -> {
        log.info("job already " + ended.status().value() + "; nothing to give up");
        yield ended.outcome();
      }
      case Acquisition.Busy busy -> {
        log.info(
            "a delivery still holds the step; asking again later",
            "retryAfterMs",
            busy.retryAfter(now).toMillis());
        yield new StepOutcome.Busy(busy.retryAfter(now));
      }
      case Acquisition.Memoized memo -> repeatChain(call, step, memo, log);
      case Acquisition.Abandoned abandoned -> {
        log.warn(
            "the trigger gave up; job failed", "code", code, "deliveries", abandoned.deliveries());
        letters.write(
            call,
            step.name(),
            abandoned.job(),
            code,
            withLastError(message, JobDocument.step(abandoned.job(), step.name())),
            abandoned.deliveries(),
            now);
        yield new StepOutcome.Failed(code, message);
      }
      case Acquisition.Leased leased -> throw new IllegalStateException("a give-up never leases");
    };
  }

  /** The transaction: what it found, having failed the job when nothing may wait. */
  private static Change<Acquisition> decide(
      Optional<Map<String, Object>> doc,
      String step,
      Map<String, Object> failure,
      Instant now,
      int deliveries) {
    if (doc.isEmpty()) {
      return Change.none(new Acquisition.Missing());
    }
    Map<String, Object> job = doc.get();
    Optional<Acquisition> ended = Acquisition.ended(job);
    if (ended.isPresent()) {
      return Change.none(ended.get());
    }
    Map<String, Object> record = JobDocument.step(job, step);
    if (StepRecord.done(record)) {
      return Change.none(new Acquisition.Memoized(job, StepRecord.attempt(record)));
    }
    if (StepRecord.liveLease(record, now) instanceof Instant expiry) {
      return Change.none(new Acquisition.Busy(expiry));
    }
    long seen = StepRecord.attempt(record) + StepRecord.busyDeliveries(record);
    return Change.write(failure, new Acquisition.Abandoned(job, Math.max(deliveries, seen)));
  }

  /** The step was done when its trigger gave up: make sure its next step is queued. */
  private StepOutcome repeatChain(StepCall call, Step step, Acquisition.Memoized memo, Log log) {
    StepContext context = new StepContext(call.jobId(), memo.job(), memo.attempt(), log, outputs);
    String output = outputs.read(JobDocument.step(memo.job(), step.name())).orElseThrow();
    TaskQueueException lost = chain.enqueueNext(call, step, context, output, memo.job(), log);
    if (lost == null) {
      log.info("the step was done; its next step is queued");
      return new StepOutcome.Done(output, true);
    }
    // The worker retried this enqueue on every delivery; one more failure ends the job clearly.
    String code = step.exhaustedCode(lost);
    String message = "The " + step.name() + " step's next step could not be queued.";
    Instant now = clock.instant();
    Map<String, Object> fields = new HashMap<>();
    fields.put(JobDocument.STATUS, JobStatus.FAILED.value());
    fields.put(JobDocument.ERROR, Map.of("code", code, "message", message));
    fields.put(JobDocument.UPDATED_AT, now);
    Optional<Map<String, Object>> failed =
        jobs.transact(
            call.collection(),
            call.jobId(),
            doc ->
                doc.isPresent() && Acquisition.ended(doc.get()).isEmpty()
                    ? Change.write(fields, doc)
                    : Change.none(Optional.empty()));
    if (failed.isEmpty()) {
      return new StepOutcome.Skipped("job already over");
    }
    log.warn("the next step could not be queued; job failed", "code", code);
    letters.write(
        call,
        step.name(),
        failed.get(),
        code,
        DeadLetters.describe(lost),
        Math.max(call.deliveryAttempt(), memo.attempt()),
        now);
    return new StepOutcome.Failed(code, message);
  }

  /** What a dead letter's reader wants to see: why the step's last attempt failed. */
  private static String withLastError(String message, Map<String, Object> record) {
    return record.get("lastError") instanceof String error
        ? message + " Last error: " + error
        : message;
  }
}
