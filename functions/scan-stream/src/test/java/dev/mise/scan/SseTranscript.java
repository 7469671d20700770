package dev.mise.scan;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/** A text/event-stream body parsed as a client would: the retry value, events, comments. */
public record SseTranscript(Long retry, List<Event> events, int comments) {

  /** One dispatched event. */
  public record Event(String id, String name, String data) {
    public JsonObject json() {
      return JsonParser.parseString(data).getAsJsonObject();
    }
  }

  public static SseTranscript parse(String body) {
    Long retry = null;
    List<Event> events = new ArrayList<>();
    int comments = 0;
    String id = null;
    String name = null;
    StringBuilder data = null;
    for (String line : body.split("\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(id, name, data.toString()));
        }
        id = null;
        name = null;
        data = null;
      } else if (line.startsWith(":")) {
        comments++;
      } else if (line.startsWith("retry: ")) {
        retry = Long.parseLong(line.substring(7));
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line.substring(6));
      } else {
        throw new AssertionError("not an SSE line: " + line);
      }
    }
    return new SseTranscript(retry, events, comments);
  }

  public List<String> names() {
    return events.stream().map(Event::name).toList();
  }

  public List<String> ids() {
    return events.stream().map(Event::id).toList();
  }

  public List<Event> named(String name) {
    return events.stream().filter(e -> name.equals(e.name())).toList();
  }

  public Event first(String name) {
    return named(name).get(0);
  }
}
