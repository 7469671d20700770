package dev.mise.common.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a transaction on a job found for a step: {@link StepRunner}'s lease, or a give-up. */
sealed interface Acquisition {

  /** The job's record when it is over, else empty. */
  static Optional<Acquisition> ended(Map<String, Object> job) {
    JobStatus status = JobDocument.status(job).orElse(JobStatus.QUEUED);
    if (!status.terminal()) {
      return Optional.empty();
    }
    Map<?, ?> error = job.get(JobDocument.ERROR) instanceof Map<?, ?> e ? e : Map.of();
    return Optional.of(
        new Ended(status, String.valueOf(error.get("code")), String.valueOf(error.get("message"))));
  }

  record Missing() implements Acquisition {}

  record Ended(JobStatus status, String code, String message) implements Acquisition {
    /** A failed job answers as failed (nothing more will run), a completed one as skipped. */
    StepOutcome outcome() {
      return status == JobStatus.FAILED
          ? new StepOutcome.Failed(code, message)
          : new StepOutcome.Skipped("job already " + status.value());
    }
  }

  record Busy(Instant expiry) implements Acquisition {
    Duration retryAfter(Instant now) {
      Duration wait = Duration.between(now, expiry);
      return wait.isNegative() ? Duration.ZERO : wait;
    }
  }

  record Memoized(Map<String, Object> job, long attempt) implements Acquisition {}

  record Leased(Map<String, Object> job, long attempt) implements Acquisition {}

  /** A give-up failed the job; {@code deliveries} as far as anyone counted them. */
  record Abandoned(Map<String, Object> job, long deliveries) implements Acquisition {}
}
