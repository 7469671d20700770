package dev.mise.common.auth;

/**
 * A bearer token was refused: malformed, badly signed, expired, for another audience. The message
 * is safe to show the caller (it names the failed check, never a key or a claim value).
 */
public class InvalidTokenException extends Exception {
  public InvalidTokenException(String reason) {
    super(reason);
  }
}
