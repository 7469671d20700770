package dev.mise.common.testing;

import dev.mise.common.events.EventBus;
import dev.mise.common.events.EventBusUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@link EventBus} that records what is published, for unit tests. Message ids count up from "1"
 * like the emulator's. {@link #failNext} makes the next publish fail as an unavailable bus does.
 */
public final class RecordingEventBus implements EventBus {

  /** One published message. */
  public record Published(
      String topic, byte[] data, Map<String, String> attributes, String messageId) {
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private final List<Published> published = new ArrayList<>();
  private int failures;

  @Override
  public synchronized String publish(String topic, byte[] data, Map<String, String> attributes) {
    if (failures > 0) {
      failures--;
      throw new EventBusUnavailableException(
          "RecordingEventBus told to fail", new IllegalStateException("scripted failure"));
    }
    String id = Integer.toString(published.size() + 1);
    published.add(new Published(topic, data.clone(), Map.copyOf(attributes), id));
    return id;
  }

  /** The next {@code count} publishes throw {@link EventBusUnavailableException}. */
  public synchronized void failNext(int count) {
    failures = count;
  }

  /** Everything published so far, in order. */
  public synchronized List<Published> published() {
    return List.copyOf(published);
  }

  /** What was published to one topic, in order. */
  public synchronized List<Published> published(String topic) {
    return published.stream().filter(p -> p.topic().equals(topic)).toList();
  }
}
