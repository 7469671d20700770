package dev.mise.common.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.functions.HttpRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReplayTest {

  private static final List<SseEvent> NUMBERED =
      List.of(event("1"), event("2"), event("3"), event("4"));

  @Test
  void numericIdsReplayWhatCameAfter() {
    assertEquals(List.of("3", "4"), ids(SseReplay.after(NUMBERED, "2")));
    assertEquals(List.of(), ids(SseReplay.after(NUMBERED, "4")));
    assertEquals(List.of(), ids(SseReplay.after(NUMBERED, "9")), "a client ahead gets nothing");
    assertEquals(List.of("1", "2", "3", "4"), ids(SseReplay.after(NUMBERED, "0")));
  }

  @Test
  void noIdReplaysEverything() {
    assertEquals(4, SseReplay.after(NUMBERED, null).size());
    assertEquals(4, SseReplay.after(NUMBERED, " ").size());
  }

  @Test
  void opaqueIdsReplayAfterTheMatchingEventOrEverything() {
    List<SseEvent> opaque = List.of(event("a"), event("b"), event("c"));

    assertEquals(List.of("c"), ids(SseReplay.after(opaque, "b")));
    assertEquals(List.of("a", "b", "c"), ids(SseReplay.after(opaque, "zz")));
  }

  @Test
  void lastEventIdComesFromTheHeaderOrTheQuery() {
    assertEquals(
        Optional.of("5"),
        SseReplay.lastEventId(request(Map.of("Last-Event-ID", List.of(" 5 ")), Map.of())));
    assertEquals(
        Optional.of("6"),
        SseReplay.lastEventId(request(Map.of(), Map.of("lastEventId", List.of("6")))));
    assertEquals(
        Optional.of("5"),
        SseReplay.lastEventId(
            request(Map.of("Last-Event-ID", List.of("5")), Map.of("lastEventId", List.of("6")))));
    assertEquals(Optional.empty(), SseReplay.lastEventId(request(Map.of(), Map.of())));
  }

  private static SseEvent event(String id) {
    return new SseEvent(id, "x", "{}");
  }

  private static List<String> ids(List<SseEvent> events) {
    return events.stream().map(SseEvent::id).toList();
  }

  private static HttpRequest request(
      Map<String, List<String>> headers, Map<String, List<String>> query) {
    return new HttpRequest() {
      @Override
      public String getMethod() {
        return "GET";
      }

      @Override
      public String getUri() {
        return "/events";
      }

      @Override
      public String getPath() {
        return "/events";
      }

      @Override
      public Optional<String> getQuery() {
        return Optional.empty();
      }

      @Override
      public Map<String, List<String>> getQueryParameters() {
        return query;
      }

      @Override
      public Map<String, HttpPart> getParts() {
        return Map.of();
      }

      @Override
      public Optional<String> getContentType() {
        return Optional.empty();
      }

      @Override
      public long getContentLength() {
        return 0;
      }

      @Override
      public Optional<String> getCharacterEncoding() {
        return Optional.empty();
      }

      @Override
      public InputStream getInputStream() {
        return InputStream.nullInputStream();
      }

      @Override
      public BufferedReader getReader() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Map<String, List<String>> getHeaders() {
        return headers;
      }
    };
  }
}
