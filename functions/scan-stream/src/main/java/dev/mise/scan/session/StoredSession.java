package dev.mise.scan.session;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.common.sse.SseEvent;
import dev.mise.scan.menu.Menu;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A session document as read back: who owns it, where it stands, when it expires, and the events
 * written so far.
 */
public record StoredSession(
    String id,
    String uid,
    String status,
    String targetLanguage,
    List<String> dietary,
    String requestKey,
    Instant createdAt,
    Instant updatedAt,
    Instant expireAt,
    List<SseEvent> events,
    List<ImageState> images) {

  public StoredSession {
    events = List.copyOf(events);
    images = List.copyOf(images);
  }

  public boolean isTerminal() {
    return ScanSession.DONE.equals(status) || ScanSession.FAILED.equals(status);
  }

  /** The menu of its {@code menu_data} event, if it got that far. */
  public Optional<Menu> menu() {
    return events.stream()
        .filter(e -> ScanEventData.MENU_DATA.equals(e.name()))
        .findFirst()
        .map(e -> ScanEventData.menuFrom(JsonParser.parseString(e.data()).getAsJsonObject()));
  }

  /** Pictures that are ready, by item id. */
  public Optional<ImageState> readyImage(String itemId) {
    return images.stream().filter(i -> i.itemId().equals(itemId) && i.isReady()).findFirst();
  }

  /** The data of the last event of a name, if any. */
  public Optional<JsonObject> lastData(String name) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (name.equals(events.get(i).name())) {
        return Optional.of(JsonParser.parseString(events.get(i).data()).getAsJsonObject());
      }
    }
    return Optional.empty();
  }
}
