package dev.mise.common.jobs;

/**
 * The job store failed to read or write (unavailable, timed out, transaction contention beyond its
 * retries). The cause holds the store's own exception; a retry of the whole request may succeed.
 */
public class JobStoreException extends RuntimeException {
  public JobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
