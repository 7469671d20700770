package dev.mise.common.pipeline;

import dev.mise.common.blobs.BlobStore;
import dev.mise.common.jobs.JobStore;
import dev.mise.common.jobs.JobStore.Change;
import dev.mise.common.logging.Log;
import dev.mise.common.tasks.TaskQueue;
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
 *       which takes the lease over rather than leave the job stuck. Triggers that do not number
 *       their deliveries (Pub/Sub through Eventarc) have them counted here: each lease and each
 *       busy answer of the step is one.
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
 * <p>What the runner cannot see (deliveries that failed before the function ran, a trigger that
 * counts differently) ends with the trigger giving up on its own, such as Pub/Sub moving the
 * message to a dead-letter topic; a function on that topic calls {@link #giveUp}, so the job does
 * not stay {@code processing}.
 *
 * <p>Each successful step costs two writes to the job document (lease, commit); a transient failure
 * costs one more (release), and so does a busy answer to a delivery the trigger does not number.
 */
public final class StepRunner {

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
  private final Clock clock;
  private final Settings settings;
  private final StepOutputs outputs;
  private final StepChain chain;
  private final DeadLetters letters;
  private final Abandonment abandonment;
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
    this.clock = clock;
    this.settings = settings;
    this.outputs = new StepOutputs(blobs, settings.inlineOutputLimit());
    this.chain = new StepChain(tasks);
    this.letters = new DeadLetters(jobs, settings.deadLetters(), settings.deadLetterRetention());
    this.abandonment = new Abandonment(jobs, outputs, chain, letters, clock);
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
        yield ended.outcome();
      }
      case Acquisition.Busy busy -> {
        Duration wait = busy.retryAfter(clock.instant());
        log.info("step busy in another delivery", "retryAfterMs", wait.toMillis());
        yield new StepOutcome.Busy(wait);
      }
      case Acquisition.Memoized memo -> {
        StepContext context = context(call, memo.job(), memo.attempt(), log);
        String output = outputs.read(JobDocument.step(memo.job(), step.name())).orElseThrow();
        log.info("step already done; reusing its output", "attempt", memo.attempt());
        yield chain(call, step, context, output, memo.job(), true, log);
      }
      case Acquisition.Leased lease -> execute(call, step, owner, lease, log);
      case Acquisition.Abandoned abandoned ->
          throw new IllegalStateException("a run never gives up");
    };
  }

  /**
   * Gives up on a step whose trigger stopped delivering it, as when Pub/Sub moved the step's
   * message to its dead-letter topic: the backstop for what {@link #run} cannot see (deliveries
   * that failed before the function ran, crashes, a count of deliveries it never got), which would
   * otherwise leave the job {@code processing} for good. In one transaction the job fails with
   * {@code code} ({@link StepOutcome.Failed}) and a dead-letter record is written, unless waiting
   * loses nothing:
   *
   * <ul>
   *   <li>a job that is gone or already over stays as it is ({@link StepOutcome.Skipped}, or the
   *       {@link StepOutcome.Failed} it ended with);
   *   <li>a step under a live lease answers {@link StepOutcome.Busy}: its holder may still finish,
   *       so ask again after {@code retryAfter};
   *   <li>a step already done is not failed: what follows belongs to the next step's trigger, which
   *       fails the job itself when it runs out. Its chain is repeated ({@link StepOutcome.Done}),
   *       in case the enqueue was what kept failing; if the enqueue fails again, the job fails with
   *       the step's {@link Step#exhaustedCode} for that failure.
   * </ul>
   *
   * <p>Safe to repeat: the first call that fails the job wins, later ones find it over. A delivery
   * still working on the step finds the job over at its commit and is {@link
   * StepOutcome.Superseded}.
   *
   * @param call the job; {@code deliveryAttempt} is how many deliveries the trigger made, when it
   *     says (Pub/Sub's {@code CloudPubSubDeadLetterSourceDeliveryCount}), for the record
   * @param step the step whose deliveries ended; only its name, chain and codes are used
   * @param code the job's error code, e.g. {@code delivery_exhausted}
   * @param message the job's error message, for its owner
   */
  public StepOutcome giveUp(StepCall call, Step step, String code, String message) {
    return abandonment.giveUp(call, step, code, message);
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
    commit.put(JobDocument.stepField(step.name(), StepRecord.STATE), StepRecord.DONE);
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
    if (chain.enqueueNext(call, step, context, output, job, log) != null) {
      return new StepOutcome.Retry("next step not enqueued");
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
    long attempt = StepRecord.attempt(record);
    if (StepRecord.done(record)) {
      return Change.none(new Acquisition.Memoized(job, attempt));
    }
    Optional<Acquisition> ended = Acquisition.ended(job);
    if (ended.isPresent()) {
      return Change.none(ended.get());
    }
    long busy = StepRecord.busyDeliveries(record);
    if (StepRecord.liveLease(record, now) instanceof Instant expiry
        && !call.lastDelivery(attempt + busy)) {
      if (call.deliveryAttempt() > 0) {
        return Change.none(new Acquisition.Busy(expiry));
      }
      // The trigger does not number its deliveries: count this one, so that the message's last
      // delivery is recognised and takes over a lease a crashed holder left behind. updatedAt
      // stays: nothing a client sees has changed.
      return Change.write(
          Map.of(JobDocument.stepField(step, StepRecord.BUSY_DELIVERIES), busy + 1),
          new Acquisition.Busy(expiry));
    }
    Map<String, Object> lease = new HashMap<>();
    lease.put(JobDocument.stepField(step, StepRecord.STATE), StepRecord.RUNNING);
    lease.put(JobDocument.stepField(step, StepRecord.LEASE_OWNER), owner);
    lease.put(JobDocument.stepField(step, StepRecord.LEASE_EXPIRY), now.plus(settings.lease()));
    lease.put(JobDocument.stepField(step, StepRecord.ATTEMPT), attempt + 1);
    lease.put(JobDocument.stepField(step, "startedAt"), now);
    lease.put(JobDocument.UPDATED_AT, now);
    if (JobDocument.status(job).orElse(JobStatus.QUEUED) == JobStatus.QUEUED) {
      lease.put(JobDocument.STATUS, JobStatus.PROCESSING.value());
    }
    return Change.write(lease, new Acquisition.Leased(job, attempt + 1));
  }

  /** True while the delivery's lease is the step's current one and the job still runs. */
  private static boolean holds(
      Optional<Map<String, Object>> doc, String step, String owner, long attempt) {
    if (doc.isEmpty() || Acquisition.ended(doc.get()).isPresent()) {
      return false;
    }
    Map<String, Object> record = JobDocument.step(doc.get(), step);
    return StepRecord.RUNNING.equals(record.get(StepRecord.STATE))
        && owner.equals(record.get(StepRecord.LEASE_OWNER))
        && record.get(StepRecord.ATTEMPT) instanceof Number n
        && n.longValue() == attempt;
  }

  private void release(StepCall call, String step, String owner, long attempt, Exception cause) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(JobDocument.stepField(step, StepRecord.STATE), StepRecord.RETRYING);
    fields.put(JobDocument.stepField(step, StepRecord.LEASE_EXPIRY), clock.instant());
    fields.put(JobDocument.stepField(step, "lastError"), DeadLetters.describe(cause));
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
    Map<String, Object> fields = StepRecord.failure(step.name(), code, message, now);
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
      letters.write(
          call,
          step.name(),
          failed.get(),
          code,
          DeadLetters.describe(cause),
          Math.max(attempt, call.deliveryAttempt()),
          now);
    }
    return new StepOutcome.Failed(code, message);
  }
}
