package dev.mise.emulators.tasks;

import com.google.cloud.tasks.v2.Attempt;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue: its configuration, its waiting tasks, the names it still refuses (recently finished or
 * deleted), its rate limiter and how many dispatches are in flight. Used only under the {@link
 * Queues} lock.
 */
final class QueueState {

  // The values the service picks when a queue is created without them.
  private static final double DEFAULT_RATE = 500;
  private static final int DEFAULT_CONCURRENCY = 1000;
  private static final int DEFAULT_MAX_ATTEMPTS = 100;
  private static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
  private static final int DEFAULT_MAX_DOUBLINGS = 16;
  private static final int MAX_BURST = 100;

  static final Comparator<QueuedTask> DISPATCH_ORDER =
      Comparator.<QueuedTask, Instant>comparing(t -> t.scheduleTime)
          .thenComparingLong(t -> t.sequence);

  final String name;
  final String id;
  private final Duration nameRetention;
  private final Map<String, QueuedTask> tasks = new HashMap<>();
  private final Map<String, Instant> refusedNamesUntil = new HashMap<>();
  private Queue config;
  private RetrySchedule retry;
  private TokenBucket bucket;
  private int inFlight;

  QueueState(Queue config, Duration nameRetention, long nanoNow) {
    this.name = config.getName();
    this.id = ResourceNames.queueId(name);
    this.nameRetention = nameRetention;
    reconfigure(config.toBuilder().setState(Queue.State.RUNNING).build(), nanoNow);
  }

  /**
   * Checks a requested configuration against the service's limits and fills what is unset (zero in
   * proto3) with the service's defaults. Output-only fields are the caller's to keep.
   */
  static Queue withDefaults(Queue requested) {
    RateLimits rate = requested.getRateLimits();
    double perSecond = rate.getMaxDispatchesPerSecond();
    if (!(perSecond >= 0 && perSecond <= 500)) {
      throw ApiErrors.invalidArgument("max_dispatches_per_second must be in (0, 500]");
    }
    perSecond = perSecond == 0 ? DEFAULT_RATE : perSecond;
    int concurrency = rate.getMaxConcurrentDispatches();
    if (concurrency < 0 || concurrency > 5000) {
      throw ApiErrors.invalidArgument("max_concurrent_dispatches must be in (0, 5000]");
    }
    concurrency = concurrency == 0 ? DEFAULT_CONCURRENCY : concurrency;
    // The service chooses the burst from the rate; this approximates it (500/s gives its 100).
    int burst = (int) Math.min(MAX_BURST, Math.max(1, Math.ceil(perSecond)));

    RetryConfig retry = requested.getRetryConfig();
    if (retry.getMaxAttempts() < -1) {
      throw ApiErrors.invalidArgument("max_attempts must be -1 (unlimited) or more");
    }
    if (retry.getMaxDoublings() < 0) {
      throw ApiErrors.invalidArgument("max_doublings must not be negative");
    }
    Duration minBackoff = orDefault(retry.getMinBackoff(), DEFAULT_MIN_BACKOFF, "min_backoff");
    Duration maxBackoff = orDefault(retry.getMaxBackoff(), DEFAULT_MAX_BACKOFF, "max_backoff");
    if (minBackoff.compareTo(maxBackoff) > 0) {
      throw ApiErrors.invalidArgument("min_backoff must not be greater than max_backoff");
    }
    if (Protos.duration(retry.getMaxRetryDuration()).isNegative()) {
      throw ApiErrors.invalidArgument("max_retry_duration must not be negative");
    }
    return requested.toBuilder()
        .setRateLimits(
            RateLimits.newBuilder()
                .setMaxDispatchesPerSecond(perSecond)
                .setMaxBurstSize(burst)
                .setMaxConcurrentDispatches(concurrency))
        .setRetryConfig(
            retry.toBuilder()
                .setMaxAttempts(
                    retry.getMaxAttempts() == 0 ? DEFAULT_MAX_ATTEMPTS : retry.getMaxAttempts())
                .setMinBackoff(Protos.duration(minBackoff))
                .setMaxBackoff(Protos.duration(maxBackoff))
                .setMaxDoublings(
                    retry.getMaxDoublings() == 0 ? DEFAULT_MAX_DOUBLINGS : retry.getMaxDoublings()))
        .build();
  }

  private static Duration orDefault(
      com.google.protobuf.Duration value, Duration fallback, String field) {
    Duration d = Protos.duration(value);
    if (d.isNegative()) {
      throw ApiErrors.invalidArgument(field + " must not be negative");
    }
    return d.isZero() ? fallback : d;
  }

  Queue toProto() {
    return config;
  }

  /**
   * Applies a configuration that went through {@link #withDefaults}; keeps state and purge time.
   */
  void reconfigure(Queue next, long nanoNow) {
    Queue.Builder kept = withDefaults(next).toBuilder().setName(name);
    if (config != null) {
      kept.setState(config.getState());
      if (config.hasPurgeTime()) {
        kept.setPurgeTime(config.getPurgeTime());
      } else {
        kept.clearPurgeTime();
      }
    }
    config = kept.build();
    retry = RetrySchedule.of(config.getRetryConfig());
    RateLimits rate = config.getRateLimits();
    bucket = new TokenBucket(rate.getMaxDispatchesPerSecond(), rate.getMaxBurstSize(), nanoNow);
  }

  void setState(Queue.State state) {
    config = config.toBuilder().setState(state).build();
  }

  void add(QueuedTask task, Instant now) {
    if (tasks.containsKey(task.id) || recentlyUsed(task.id, now)) {
      throw ApiErrors.alreadyExists(task.name);
    }
    tasks.put(task.id, task);
  }

  boolean hasName(String taskId, Instant now) {
    return tasks.containsKey(taskId) || recentlyUsed(taskId, now);
  }

  private boolean recentlyUsed(String taskId, Instant now) {
    refusedNamesUntil.values().removeIf(until -> !until.isAfter(now));
    return refusedNamesUntil.containsKey(taskId);
  }

  QueuedTask task(String taskId) {
    QueuedTask task = tasks.get(taskId);
    if (task == null) {
      throw ApiErrors.notFound(name + "/tasks/" + taskId);
    }
    return task;
  }

  List<QueuedTask> tasksInOrder() {
    return tasks.values().stream().sorted(DISPATCH_ORDER).toList();
  }

  /** Removes a task; its name stays refused for the retention period, as in the service. */
  void remove(QueuedTask task, Instant now) {
    task.deleted = true;
    tasks.remove(task.id);
    if (nameRetention.isPositive()) {
      refusedNamesUntil.put(task.id, now.plus(nameRetention));
    }
  }

  void purge(Instant now) {
    for (QueuedTask task : List.copyOf(tasks.values())) {
      remove(task, now);
    }
    config = config.toBuilder().setPurgeTime(Protos.timestamp(now)).build();
  }

  /** Marks every task gone, for a deleted queue: dispatches in flight then change nothing. */
  void discardAll() {
    tasks.values().forEach(t -> t.deleted = true);
    tasks.clear();
  }

  /** What the dispatcher does next with this queue. */
  record Next(QueuedTask task, long waitNanos) {
    static final Next IDLE = new Next(null, Long.MAX_VALUE);
  }

  /**
   * The task to dispatch now (already counted against the limits), or how long until one may be:
   * forced tasks (RunTask) first, then, unless paused or at max concurrency, the earliest due task
   * when the rate limiter has a token.
   */
  Next next(Instant now, long nanoNow) {
    for (QueuedTask task : tasks.values()) {
      if (task.forced && !task.running) {
        task.forced = false;
        return begin(task);
      }
    }
    if (config.getState() != Queue.State.RUNNING
        || inFlight >= config.getRateLimits().getMaxConcurrentDispatches()) {
      return Next.IDLE;
    }
    QueuedTask earliest =
        tasks.values().stream().filter(t -> !t.running).min(DISPATCH_ORDER).orElse(null);
    if (earliest == null) {
      return Next.IDLE;
    }
    if (earliest.scheduleTime.isAfter(now)) {
      return new Next(null, Math.max(1, Duration.between(now, earliest.scheduleTime).toNanos()));
    }
    long tokenWait = bucket.take(nanoNow);
    return tokenWait > 0 ? new Next(null, tokenWait) : begin(earliest);
  }

  private Next begin(QueuedTask task) {
    task.running = true;
    inFlight++;
    return new Next(task, 0);
  }

  /** How an attempt ended, for the log. */
  enum Outcome {
    DONE,
    RETRY,
    DROPPED,
    DISCARDED
  }

  /**
   * Records an attempt's result: 2xx removes the task, anything else schedules a retry per the
   * retry config or drops the task when its attempts are spent.
   *
   * @param httpStatus the target's status, or null when no response came (deadline, connection)
   * @param responseStatus the attempt's result as the API reports it
   */
  Outcome finish(
      QueuedTask task,
      Integer httpStatus,
      com.google.rpc.Status responseStatus,
      Instant dispatched,
      Instant now) {
    inFlight--;
    task.running = false;
    if (task.deleted) {
      return Outcome.DISCARDED;
    }
    Attempt.Builder attempt =
        Attempt.newBuilder()
            .setScheduleTime(Protos.timestamp(task.scheduleTime))
            .setDispatchTime(Protos.timestamp(dispatched))
            .setResponseStatus(responseStatus);
    if (httpStatus != null) {
      attempt.setResponseTime(Protos.timestamp(now));
      task.responseCount++;
      if (httpStatus < 500) {
        task.executionCount++;
      }
    }
    task.lastAttempt = attempt.build();
    task.previousResponse = httpStatus;
    if (httpStatus != null && httpStatus >= 200 && httpStatus < 300) {
      remove(task, now);
      return Outcome.DONE;
    }
    if (retry.givesUp(task.dispatchCount, Duration.between(task.firstDispatch, now))) {
      remove(task, now);
      return Outcome.DROPPED;
    }
    task.scheduleTime = now.plus(retry.backoff(task.dispatchCount));
    return Outcome.RETRY;
  }
}
