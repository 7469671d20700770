package dev.mise.ocr;

import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The status endpoint's Server-Sent Events: headers that keep proxies from buffering or
 * compressing, a {@code retry:} line, {@code id:}/{@code event:}/{@code data:} events flushed one
 * by one (the functions framework streams only what was flushed), and a {@code : ping} comment when
 * nothing was written for 15 s. A write to a client that left throws {@link IOException}.
 *
 * <p>Deliberately small: {@code common.sse.SseStream} (scan-stream's branch) does the same with a
 * heartbeat scheduler and replay; this class should give way to it once both are in main.
 */
final class StatusEvents {
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final Writer writer;
  private final Clock clock;
  private Instant lastWrite;

  private StatusEvents(Writer writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  static StatusEvents open(HttpResponse response, Clock clock) throws IOException {
    response.setStatusCode(200);
    response.setContentType("text/event-stream; charset=utf-8");
    response.appendHeader("Cache-Control", "no-cache, no-transform");
    response.appendHeader("X-Accel-Buffering", "no");
    StatusEvents events = new StatusEvents(response.getWriter(), clock);
    events.write("retry: 3000\n\n");
    return events;
  }

  /** One event; {@code data} is one line of JSON. */
  void send(String id, String event, String data) throws IOException {
    write("id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n");
  }

  void pingIfIdle() throws IOException {
    if (!clock.instant().isBefore(lastWrite.plus(HEARTBEAT))) {
      write(": ping\n\n");
    }
  }

  private void write(String text) throws IOException {
    writer.write(text);
    writer.flush();
    lastWrite = clock.instant();
  }
}
