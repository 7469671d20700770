package dev.mise.common.pipeline;

import dev.mise.common.blobs.BlobStore;
import dev.mise.common.jobs.JobStore;
import dev.mise.common.jobs.JobStore.Change;
import dev.mise.common.logging.Log;
import dev.mise.common.tasks.TaskQueue;
import dev.mise.common.tasks.TaskQueueException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs one step of a job so that at-least-once delivery does no harm (design.md, "The pipeline
 * pattern"):
 *
 * <ol>
 *   <li><b>Lease</b>: a transaction on the job document marks the step {@code running} with an
 *       owner, an expiry and an attempt number, the fencing token. A live lease of another delivery
 *       answers {@link StepOutcome.Busy} (retry later), except on the trigger's last delivery,
 *       which takes the lease over rather than leave the job stuck.
 *   <li><b>Memoize</b>: a step already {@code done} is not run again; its stored output is handed
 *       back and the chain to the next step is repeated (the queue drops the duplicate name).
 *   <li><b>Commit with the fence</b>: the output is written only while the lease is still this
 *       delivery's; a delivery whose lease was taken over gets {@link StepOutcome.Superseded}.
 *   <li><b>Chain by name</b>: the next step's task is named {@code <job>-<step>-<generation>}.
 *   <li><b>Fail clearly</b>: a {@link StepFailedException} fails the job at once; other exceptions
 *       release the lease and ask for a retry, until the last attempt, which fails the job with an
 *       error code and writes a dead-letter record.
 * </ol>
 *
 * <p>Each successful step costs two writes to the job document (lease, commit); a transient failure
 * costs one more (release).
 */
public final class StepRunner {
  static final String STATE = "state";
  static final String RUNNING = "running";
  static final String RETRYING = "retrying";
  static final String DONE = "done";
  static final String FAILED = "failed";
  static final String LEASE_OWNER = "leaseOwner";
  static final String LEASE_EXPIRY = "leaseExpiry";
  static final String ATTEMPT = "attempt";
  private static final int MAX_ERROR_CHARS = 500;

  /**
   * How the runner works.
   *
   * @param lease how long a delivery owns a step; at least the function's timeout, so a live
   *     delivery is never overtaken
   * @param inlineOutputLimit largest output (bytes) kept in the job document
   * @param deadLetters collection of dead-letter records
   * @param deadLetterRetention how long dead-letter records are kept ({@code expireAt})
   */
  public record Settings(
      Duration lease, int inlineOutputLimit, String deadLetters, Duration deadLetterRetention) {
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(2), 100_000, "deadLetters", Duration.ofDays(30));
    }

    public Settings withLease(Duration duration) {
      return new Settings(duration, inlineOutputLimit, deadLetters, deadLetterRetention);
    }
  }

  private final JobStore jobs;
  private final TaskQueue tasks;
  private final Clock clock;
  private final Settings settings;
  private final StepOutputs outputs;
  private final Supplier<String> owners;

  public StepRunner(
      JobStore jobs, BlobStore blobs, TaskQueue tasks, Clock clock, Settings settings) {
    this(jobs, blobs, tasks, clock, settings, () -> UUID.randomUUID().toString());
  }

  StepRunner(
      JobStore jobs,
      BlobStore blobs,
      TaskQueue tasks,
      Clock clock,
      Settings settings,
      Supplier<String> owners) {
    this.jobs = jobs;
    this.tasks = tasks;
    this.clock = clock;
    this.settings = settings;
    this.outputs = new StepOutputs(blobs, settings.inlineOutputLimit());
    this.owners = owners;
  }

  /** Runs the step for one delivery; never throws for the step's own failures. */
  public StepOutcome run(StepCall call, Step step) {
    String owner = owners.get();
    Log log = call.log().with("jobId", call.jobId()).with("step", step.name());
    Acquisition acquired =
        jobs.transact(
            call.collection(),
            call.jobId(),
            doc -> acquire(doc, call, step.name(), owner, clock.instant()));
    return switch (acquired) {
      case Acquisition.Missing missing -> {
        log.warn("job not found; acknowledging");
        yield new StepOutcome.Skipped("job not found");
      }
      case Acquisition.Ended ended -> {
        log.info("job already " + ended.status().value() + "; acknowledging");
        yield ended.status() == JobStatus.FAILED
            ? new StepOutcome.Failed(ended.code(), ended.message())
            : new StepOutcome.Skipped("job already " + ended.status().value());
      }
      case Acquisition.Busy busy -> {
        Duration wait = Duration.between(clock.instant(), busy.expiry());
        log.info("step busy in another delivery", "retryAfterMs", wait.toMillis());
        yield new StepOutcome.Busy(wait.isNegative() ? Duration.ZERO : wait);
      }
      case Acquisition.Memoized memo -> {
        StepContext context = context(call, memo.job(), memo.attempt(), log);
        String output = outputs.read(JobDocument.step(memo.job(), step.name())).orElseThrow();
        log.info("step already done; reusing its output", "attempt", memo.attempt());
        yield chain(call, step, context, output, memo.job(), true, log);
      }
      case Acquisition.Leased lease -> execute(call, step, owner, lease, log);
    };
  }

  private StepOutcome execute(
      StepCall call, Step step, String owner, Acquisition.Leased lease, Log log) {
    long attempt = lease.attempt();
    Log attemptLog = log.with("attempt", attempt);
    StepContext context = context(call, lease.job(), attempt, attemptLog);
    long start = clock.millis();
    StepResult result;
    try {
      result = step.run(context);
    } catch (StepFailedException e) {
      attemptLog.warn("step failed for good: " + e.code() + ": " + e.getMessage());
      return fail(call, step, owner, attempt, e.code(), e.getMessage(), null, attemptLog);
    } catch (Exception e) {
      if (call.lastAttempt(attempt)) {
        attemptLog.error("step failed on its last attempt", e);
        return fail(
            call,
            step,
            owner,
            attempt,
            step.exhaustedCode(e),
            "The " + step.name() + " step kept failing and was given up.",
            e,
            attemptLog);
      }
      attemptLog.warn("step failed; the trigger will retry: " + e, "ms", clock.millis() - start);
      release(call, step.name(), owner, attempt, e);
      return new StepOutcome.Retry(e.getClass().getSimpleName());
    }
    long ms = clock.millis() - start;
    Map<String, Object> stored =
        outputs.store(call.collection(), call.jobId(), step.name(), attempt, result.output());
    Instant now = clock.instant();
    Map<String, Object> commit = new HashMap<>(result.jobFields());
    commit.put(JobDocument.UPDATED_AT, now);
    commit.put(JobDocument.stepField(step.name(), STATE), DONE);
    commit.put(JobDocument.stepField(step.name(), "finishedAt"), now);
    commit.put(JobDocument.stepField(step.name(), "ms"), ms);
    stored.forEach((field, value) -> commit.put(JobDocument.stepField(step.name(), field), value));
    Optional<Map<String, Object>> committed =
        jobs.transact(
            call.collection(),
            call.jobId(),
            doc ->
                holds(doc, step.name(), owner, attempt)
                    ? Change.write(commit, doc)
                    : Change.none(Optional.empty()));
    if (committed.isEmpty()) {
      outputs.discard(stored);
      attemptLog.warn("lease lost before commit; result dropped", "ms", ms);
      return new StepOutcome.Superseded(attempt);
    }
    attemptLog.info("step done", "ms", ms);
    return chain(call, step, context, result.output(), committed.get(), false, attemptLog);
  }

  private StepOutcome chain(
      StepCall call,
      Step step,
      StepContext context,
      String output,
      Map<String, Object> job,
      boolean memoized,
      Log log) {
    Optional<NextStep> next = step.next(context, output);
    if (next.isPresent()) {
      var task = next.get().named(call.jobId(), JobDocument.generation(job));
      try {
        TaskQueue.Enqueued enqueued = tasks.enqueue(task);
        log.info("next step enqueued", "task", task.taskId(), "enqueued", enqueued.name());
      } catch (TaskQueueException e) {
        log.warn("could not enqueue the next step: " + e);
        return new StepOutcome.Retry("next step not enqueued");
      }
    }
    return new StepOutcome.Done(output, memoized);
  }

  private StepContext context(StepCall call, Map<String, Object> job, long attempt, Log log) {
    return new StepContext(call.jobId(), job, attempt, log, outputs);
  }

  private Change<Acquisition> acquire(
      Optional<Map<String, Object>> doc, StepCall call, String step, String owner, Instant now) {
    if (doc.isEmpty()) {
      return Change.none(new Acquisition.Missing());
    }
    Map<String, Object> job = doc.get();
    Map<String, Object> record = JobDocument.step(job, step);
    long attempt = record.get(ATTEMPT) instanceof Number n ? n.longValue() : 0;
    if (DONE.equals(record.get(STATE))) {
      return Change.none(new Acquisition.Memoized(job, attempt));
    }
    JobStatus status = JobDocument.status(job).orElse(JobStatus.QUEUED);
    if (status.terminal()) {
      Map<?, ?> error = job.get(JobDocument.ERROR) instanceof Map<?, ?> e ? e : Map.of();
      return Change.none(
          new Acquisition.Ended(
              status, String.valueOf(error.get("code")), String.valueOf(error.get("message"))));
    }
    if (RUNNING.equals(record.get(STATE))
        && record.get(LEASE_EXPIRY) instanceof Instant expiry
        && expiry.isAfter(now)
        && !call.lastDelivery()) {
      return Change.none(new Acquisition.Busy(expiry));
    }
    Map<String, Object> lease = new HashMap<>();
    lease.put(JobDocument.stepField(step, STATE), RUNNING);
    lease.put(JobDocument.stepField(step, LEASE_OWNER), owner);
    lease.put(JobDocument.stepField(step, LEASE_EXPIRY), now.plus(settings.lease()));
    lease.put(JobDocument.stepField(step, ATTEMPT), attempt + 1);
    lease.put(JobDocument.stepField(step, "startedAt"), now);
    lease.put(JobDocument.UPDATED_AT, now);
    if (status == JobStatus.QUEUED) {
      lease.put(JobDocument.STATUS, JobStatus.PROCESSING.value());
    }
    return Change.write(lease, new Acquisition.Leased(job, attempt + 1));
  }

  /** True while the delivery's lease is the step's current one and the job still runs. */
  private static boolean holds(
      Optional<Map<String, Object>> doc, String step, String owner, long attempt) {
    if (doc.isEmpty() || JobDocument.status(doc.get()).map(JobStatus::terminal).orElse(false)) {
      return false;
    }
    Map<String, Object> record = JobDocument.step(doc.get(), step);
    return RUNNING.equals(record.get(STATE))
        && owner.equals(record.get(LEASE_OWNER))
        && record.get(ATTEMPT) instanceof Number n
        && n.longValue() == attempt;
  }

  private void release(StepCall call, String step, String owner, long attempt, Exception cause) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(JobDocument.stepField(step, STATE), RETRYING);
    fields.put(JobDocument.stepField(step, LEASE_EXPIRY), clock.instant());
    fields.put(JobDocument.stepField(step, "lastError"), describe(cause));
    jobs.transact(
        call.collection(),
        call.jobId(),
        doc -> holds(doc, step, owner, attempt) ? Change.write(fields, true) : Change.none(false));
  }

  private StepOutcome fail(
      StepCall call,
      Step step,
      String owner,
      long attempt,
      String code,
      String message,
      Exception cause,
      Log log) {
    Instant now = clock.instant();
    Map<String, Object> error = Map.of("code", code, "message", message);
    Map<String, Object> fields = new HashMap<>();
    fields.put(JobDocument.STATUS, JobStatus.FAILED.value());
    fields.put(JobDocument.ERROR, error);
    fields.put(JobDocument.UPDATED_AT, now);
    fields.put(JobDocument.stepField(step.name(), STATE), FAILED);
    fields.put(JobDocument.stepField(step.name(), "finishedAt"), now);
    fields.put(JobDocument.stepField(step.name(), "error"), error);
    Optional<Map<String, Object>> failed =
        jobs.transact(
            call.collection(),
            call.jobId(),
            doc ->
                holds(doc, step.name(), owner, attempt)
                    ? Change.write(fields, doc)
                    : Change.none(Optional.empty()));
    if (failed.isEmpty()) {
      log.warn("lease lost before the failure was recorded");
      return new StepOutcome.Superseded(attempt);
    }
    if (cause != null) {
      long generation = JobDocument.generation(failed.get());
      Map<String, Object> letter = new HashMap<>();
      letter.put("collection", call.collection());
      letter.put("jobId", call.jobId());
      letter.put("step", step.name());
      letter.put("generation", generation);
      letter.put("code", code);
      letter.put("cause", describe(cause));
      letter.put("attempts", Math.max(attempt, call.deliveryAttempt()));
      letter.put("at", now);
      letter.put(JobDocument.EXPIRE_AT, now.plus(settings.deadLetterRetention()));
      jobs.create(
          settings.deadLetters(),
          call.collection().replace('/', '_')
              + "-"
              + call.jobId()
              + "-"
              + step.name()
              + "-"
              + generation,
          letter);
    }
    return new StepOutcome.Failed(code, message);
  }

  private static String describe(Exception e) {
    String text = e.getClass().getName() + ": " + e.getMessage();
    return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) : text;
  }

  /** What the lease transaction found. */
  private sealed interface Acquisition {
    record Missing() implements Acquisition {}

    record Ended(JobStatus status, String code, String message) implements Acquisition {}

    record Busy(Instant expiry) implements Acquisition {}

    record Memoized(Map<String, Object> job, long attempt) implements Acquisition {}

    record Leased(Map<String, Object> job, long attempt) implements Acquisition {}
  }
}
