package dev.mise.common.sse;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import java.util.Objects;

/**
 * One Server-Sent Event: its id (what a reconnecting client sends back as {@code Last-Event-ID}),
 * its name ({@code event:}, null for the default {@code message}) and its data, which may span
 * lines. {@link #wire()} renders it as the {@code text/event-stream} format specifies: one {@code
 * data:} line per line of data, so a multi-line payload arrives intact, then a blank line.
 *
 * <pre>{@code
 * SseEvent event = SseEvent.json("3", "image_update", payload);
 * }</pre>
 */
public record SseEvent(String id, String name, String data) {

  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  public SseEvent {
    Objects.requireNonNull(data, "data");
    // A line break in a field would end it early and let the rest be read as another field.
    requireSingleLine("id", id);
    requireSingleLine("name", name);
    if (id != null && id.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("an event id must not contain NUL");
    }
  }

  /** An event whose data is a JSON value, written on one line. */
  public static SseEvent json(String id, String name, JsonElement data) {
    return new SseEvent(id, name, GSON.toJson(data));
  }

  /** The event in the wire format, ending with the blank line that dispatches it. */
  public String wire() {
    StringBuilder out = new StringBuilder(data.length() + 64);
    if (id != null) {
      out.append("id: ").append(id).append('\n');
    }
    if (name != null) {
      out.append("event: ").append(name).append('\n');
    }
    // CRLF, CR and LF all end a line in the format, so each of them starts a new data line.
    for (String line : data.split("\r\n|\r|\n", -1)) {
      out.append("data: ").append(line).append('\n');
    }
    return out.append('\n').toString();
  }

  private static void requireSingleLine(String field, String value) {
    if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException("an event " + field + " must be one line: " + value);
    }
  }
}
