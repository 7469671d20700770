package dev.mise.common.pipeline;

import java.time.Duration;

/**
 * How a delivery of a step ended, which decides the answer to the trigger: {@link #acknowledged()}
 * outcomes are 2xx (the trigger must not retry), the others ask for a retry.
 */
public sealed interface StepOutcome {

  /** True when the trigger should consider the delivery handled. */
  boolean acknowledged();

  /** The step is done, by this delivery or an earlier one ({@code memoized}). */
  record Done(String output, boolean memoized) implements StepOutcome {
    @Override
    public boolean acknowledged() {
      return true;
    }
  }

  /** The job failed, now or before; nothing more will run. */
  record Failed(String code, String message) implements StepOutcome {
    @Override
    public boolean acknowledged() {
      return true;
    }
  }

  /** The job is gone (expired, deleted) or no longer wants this step. */
  record Skipped(String reason) implements StepOutcome {
    @Override
    public boolean acknowledged() {
      return true;
    }
  }

  /** A newer attempt took the lease; this one's result was dropped. */
  record Superseded(long attempt) implements StepOutcome {
    @Override
    public boolean acknowledged() {
      return true;
    }
  }

  /** Another attempt holds a live lease: come back after {@code retryAfter}. */
  record Busy(Duration retryAfter) implements StepOutcome {
    @Override
    public boolean acknowledged() {
      return false;
    }
  }

  /** A transient failure: the trigger should retry with backoff. */
  record Retry(String reason) implements StepOutcome {
    @Override
    public boolean acknowledged() {
      return false;
    }
  }
}
