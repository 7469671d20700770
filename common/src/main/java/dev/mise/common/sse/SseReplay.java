package dev.mise.common.sse;

import com.google.cloud.functions.HttpRequest;
import java.util.List;
import java.util.Optional;

/**
 * Resuming a stream after a reconnect. A browser's {@code EventSource} sends the id of the last
 * event it received as {@code Last-Event-ID}; clients that cannot set headers on their first
 * request may pass it as the {@code lastEventId} query parameter. Given the events written so far,
 * {@link #after} picks those the client has not seen.
 *
 * <pre>{@code
 * List<SseEvent> missed = SseReplay.after(storedEvents, SseReplay.lastEventId(request).orElse(null));
 * missed.forEach(stream::send);
 * }</pre>
 */
public final class SseReplay {

  public static final String HEADER = "Last-Event-ID";
  public static final String QUERY_PARAMETER = "lastEventId";

  private SseReplay() {}

  /** The client's last seen event id, from the header or else the query parameter. */
  public static Optional<String> lastEventId(HttpRequest request) {
    return request
        .getFirstHeader(HEADER)
        .or(() -> request.getFirstQueryParameter(QUERY_PARAMETER))
        .map(String::trim)
        .filter(id -> !id.isEmpty());
  }

  /**
   * The events after the one with id {@code lastEventId}, in order. When every id (and {@code
   * lastEventId}) is a number, "after" means a larger number, so a client ahead of a lagging log
   * gets nothing rather than everything again. With no id, or one the log does not hold, the client
   * gets every event: repeating an event is recoverable (ids let it skip them), losing one is not.
   */
  public static List<SseEvent> after(List<SseEvent> events, String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return List.copyOf(events);
    }
    Long last = number(lastEventId);
    if (last != null && events.stream().allMatch(e -> number(e.id()) != null)) {
      return events.stream().filter(e -> number(e.id()) > last).toList();
    }
    for (int i = 0; i < events.size(); i++) {
      if (lastEventId.equals(events.get(i).id())) {
        return List.copyOf(events.subList(i + 1, events.size()));
      }
    }
    return List.copyOf(events);
  }

  private static Long number(String id) {
    if (id == null || id.isEmpty() || id.length() > 18) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return null;
      }
    }
    return Long.parseLong(id);
  }
}
