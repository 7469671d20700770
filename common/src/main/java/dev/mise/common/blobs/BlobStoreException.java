package dev.mise.common.blobs;

/**
 * Object storage failed (unreachable, denied, timed out, or a URL could not be signed). The cause
 * holds the store's own exception.
 */
public class BlobStoreException extends RuntimeException {
  public BlobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
