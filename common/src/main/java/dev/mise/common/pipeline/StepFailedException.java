package dev.mise.common.pipeline;

/**
 * A permanent failure: retrying cannot help (unreadable input, blocked content, a model answer that
 * stayed invalid after its repair attempt). The job fails at once with {@code code}, and the
 * message, which clients see, says what went wrong without internals.
 */
public class StepFailedException extends Exception {
  private final String code;

  public StepFailedException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
