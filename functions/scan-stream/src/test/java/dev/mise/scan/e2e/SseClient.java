package dev.mise.scan.e2e;

import dev.mise.scan.SseTranscript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** An SSE client that notes when each event arrives, and can hang up mid-stream. */
final class SseClient {

  /** An event and when it was dispatched ({@link System#nanoTime()}). */
  record Timed(SseTranscript.Event event, long atNanos) {}

  /** What came back. */
  record Result(
      int status,
      HttpResponse<?> response,
      long sentNanos,
      List<Timed> events,
      SseTranscript transcript,
      String body) {

    long millisUntil(String eventName) {
      for (Timed timed : events) {
        if (eventName.equals(timed.event().name())) {
          return (timed.atNanos() - sentNanos) / 1_000_000;
        }
      }
      throw new AssertionError("no " + eventName + " event in " + transcript.names());
    }

    double exactMillisUntil(String eventName) {
      for (Timed timed : events) {
        if (eventName.equals(timed.event().name())) {
          return (timed.atNanos() - sentNanos) / 1e6;
        }
      }
      throw new AssertionError("no " + eventName + " event in " + transcript.names());
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  Result send(HttpRequest request) throws IOException, InterruptedException {
    return send(request, event -> false);
  }

  /** Sends, reads the stream to its end (or until {@code hangUpAfter} holds, then hangs up). */
  Result send(HttpRequest request, Predicate<SseTranscript.Event> hangUpAfter)
      throws IOException, InterruptedException {
    long sent = System.nanoTime();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<Timed> events = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    try (InputStream stream = response.body();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      StringBuilder block = new StringBuilder();
      String line;
      while ((line = reader.readLine()) != null) {
        body.append(line).append('\n');
        if (!line.isEmpty()) {
          block.append(line).append('\n');
          continue;
        }
        List<SseTranscript.Event> dispatched =
            SseTranscript.parse(block.append('\n').toString()).events();
        block.setLength(0);
        if (dispatched.isEmpty()) {
          continue;
        }
        SseTranscript.Event event = dispatched.get(0);
        events.add(new Timed(event, System.nanoTime()));
        if (hangUpAfter.test(event)) {
          break; // closing the body before its end closes the connection
        }
      }
    }
    String text = body.toString();
    SseTranscript transcript =
        response.statusCode() == 200
            ? SseTranscript.parse(text)
            : new SseTranscript(null, List.of(), 0);
    return new Result(response.statusCode(), response, sent, events, transcript, text);
  }

  static HttpRequest.Builder post(URI uri, String token, String contentType, byte[] body) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "text/event-stream")
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  static HttpRequest.Builder get(URI uri, String token, Map<String, String> headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .GET();
    headers.forEach(builder::header);
    return builder;
  }
}
