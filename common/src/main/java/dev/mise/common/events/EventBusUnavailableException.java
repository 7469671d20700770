package dev.mise.common.events;

/** The bus did not accept a message (topic missing, bus down, timeout). */
public class EventBusUnavailableException extends RuntimeException {
  public EventBusUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
