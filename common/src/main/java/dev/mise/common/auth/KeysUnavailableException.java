package dev.mise.common.auth;

/**
 * The public keys a token must be checked against could not be fetched: not the caller's fault, so
 * it answers 503 rather than 401.
 */
public class KeysUnavailableException extends RuntimeException {
  public KeysUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
