package dev.mise.common.models;

/**
 * A model call failed. {@link Kind#transientFailure()} tells a step whether a retry by its queue
 * may succeed (rate limit, unavailable, timeout) or the job should fail at once (blocked, bad
 * request).
 */
public class ModelException extends RuntimeException {

  /** Why the call failed. */
  public enum Kind {
    RATE_LIMITED(true),
    UNAVAILABLE(true),
    TIMEOUT(true),
    BLOCKED(false),
    INVALID_REQUEST(false);

    private final boolean transientFailure;

    Kind(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }

    public boolean transientFailure() {
      return transientFailure;
    }
  }

  private final Kind kind;

  public ModelException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
