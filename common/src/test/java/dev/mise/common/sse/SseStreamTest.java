package dev.mise.common.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.common.http.Problem;
import dev.mise.common.testing.FakeHttpResponse;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SseStreamTest {

  private final CapturingScheduler scheduler = new CapturingScheduler();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void eventHasIdNameAndOneDataLinePerLine() {
    SseEvent event = new SseEvent("7", "menu_data", "first\nsecond\r\nthird\rfourth");

    assertEquals(
        "id: 7\nevent: menu_data\ndata: first\ndata: second\ndata: third\ndata: fourth\n\n",
        event.wire());
  }

  @Test
  void emptyAndTrailingLinesSurvive() {
    assertEquals("id: 1\ndata: \n\n", new SseEvent("1", null, "").wire());
    assertEquals("data: a\ndata: \n\n", new SseEvent(null, null, "a\n").wire());
  }

  @Test
  void jsonEventIsOneLineAndKeepsNulls() {
    JsonObject data = new JsonObject();
    data.addProperty("text", "a\nb <&>");
    data.add("imageUrl", null);

    SseEvent event = SseEvent.json("2", "status", data);

    assertEquals(
        "id: 2\nevent: status\ndata: {\"text\":\"a\\nb <&>\",\"imageUrl\":null}\n\n", event.wire());
  }

  @Test
  void idsAndNamesCannotSmuggleFields() {
    assertThrows(IllegalArgumentException.class, () -> new SseEvent("1\ndata: x", null, ""));
    assertThrows(IllegalArgumentException.class, () -> new SseEvent("1", "a\rb", ""));
    assertThrows(IllegalArgumentException.class, () -> new SseEvent("1\0", null, ""));
  }

  @Test
  void openSetsStreamingHeadersAndStartsWithRetry() throws IOException {
    RecordingResponse response = new RecordingResponse();

    SseStream stream =
        SseStream.open(
            response,
            new SseStream.Options(Duration.ofMillis(2500), Duration.ofSeconds(15)),
            scheduler);

    assertEquals(200, response.status());
    assertEquals(Optional.of("text/event-stream; charset=utf-8"), response.getContentType());
    assertEquals(List.of("no-cache, no-transform"), response.getHeaders().get("Cache-Control"));
    assertEquals(List.of("no"), response.getHeaders().get("X-Accel-Buffering"));
    assertFalse(response.getHeaders().containsKey("Content-Encoding"));
    assertEquals("retry: 2500\n\n", response.body.text());
    assertEquals(1, response.body.flushes.get());
    stream.close();
  }

  @Test
  void everyEventIsFlushedAsItIsWritten() {
    FlushRecorder body = new FlushRecorder();
    SseStream stream = SseStream.over(body, SseStream.Options.DEFAULTS, scheduler);

    assertTrue(stream.send(new SseEvent("1", "status", "{}")));
    assertTrue(stream.send(new SseEvent("2", "done", "{}")));

    assertEquals(
        List.of(
            "retry: 3000\n\n",
            "retry: 3000\n\nid: 1\nevent: status\ndata: {}\n\n",
            "retry: 3000\n\nid: 1\nevent: status\ndata: {}\n\nid: 2\nevent: done\ndata: {}\n\n"),
        body.textAtEachFlush);
  }

  @Test
  void heartbeatPingsOnTheSchedulerEveryInterval() throws InterruptedException {
    FlushRecorder body = new FlushRecorder();
    SseStream stream = SseStream.over(body, SseStream.Options.DEFAULTS, scheduler);

    assertEquals(15_000, scheduler.periodMillis);
    scheduler.task.run();

    awaitText(body, "retry: 3000\n\n: ping\n\n");
    stream.close();
    assertTrue(scheduler.future.isCancelled());
  }

  @Test
  void errorEventCarriesTheProblemDocument() {
    FlushRecorder body = new FlushRecorder();
    SseStream stream = SseStream.over(body, SseStream.Options.DEFAULTS, scheduler);
    Problem problem =
        Problem.of(503, "model-unavailable", "Model unavailable", "Try again").withInstance("r1");

    stream.sendError("4", problem);

    String text = body.text();
    assertTrue(text.contains("id: 4\nevent: error\ndata: "), text);
    String data = text.substring(text.indexOf("data: ") + 6, text.lastIndexOf("\n\n"));
    JsonObject json = JsonParser.parseString(data).getAsJsonObject();
    assertEquals(503, json.get("status").getAsInt());
    assertEquals("https://mise.dev/problems/model-unavailable", json.get("type").getAsString());
    assertEquals("r1", json.get("instance").getAsString());
  }

  @Test
  void failedWriteMeansTheClientIsGone() {
    FlushRecorder body = new FlushRecorder();
    SseStream stream = SseStream.over(body, SseStream.Options.DEFAULTS, scheduler);
    AtomicInteger told = new AtomicInteger();
    stream.onClientGone(told::incrementAndGet);
    body.failFromNow = true;

    assertFalse(stream.send(new SseEvent("1", "status", "{}")));
    assertFalse(stream.ping());
    assertFalse(stream.send(new SseEvent("2", "done", "{}")));

    assertTrue(stream.clientGone());
    assertFalse(stream.isOpen());
    assertEquals(1, told.get());
    assertEquals(1, body.failedWrites, "nothing is written after the first failure");
    assertTrue(scheduler.future.isCancelled(), "no heartbeats to a gone client");
    AtomicInteger late = new AtomicInteger();
    stream.onClientGone(late::incrementAndGet);
    assertEquals(1, late.get(), "a listener added afterwards runs at once");
  }

  @Test
  void closedStreamWritesNothing() {
    FlushRecorder body = new FlushRecorder();
    SseStream stream = SseStream.over(body, SseStream.Options.DEFAULTS, scheduler);
    stream.close();

    assertFalse(stream.send(new SseEvent("1", "status", "{}")));
    assertFalse(stream.clientGone());
    assertEquals("retry: 3000\n\n", body.text());
  }

  private static void awaitText(FlushRecorder body, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!body.text().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(expected, body.text());
  }

  /** Captures the heartbeat task instead of running it on a timer. */
  static final class CapturingScheduler extends ScheduledThreadPoolExecutor {
    Runnable task;
    long periodMillis;
    ScheduledFuture<?> future;

    CapturingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      task = command;
      periodMillis = unit.toMillis(period);
      future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
      return future;
    }
  }

  /** A body that remembers what had been written at each flush and can start failing. */
  static final class FlushRecorder extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<String> textAtEachFlush = new ArrayList<>();
    final AtomicInteger flushes = new AtomicInteger();
    boolean failFromNow;
    int failedWrites;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failFromNow) {
        failedWrites++;
        throw new IOException("Broken pipe");
      }
      bytes.write(b, off, len);
    }

    @Override
    public void flush() {
      flushes.incrementAndGet();
      textAtEachFlush.add(text());
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Keeps status and headers; the body records its flushes. */
  static final class RecordingResponse extends FakeHttpResponse {
    final FlushRecorder body = new FlushRecorder();

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      throw new UnsupportedOperationException("SSE writes bytes");
    }
  }
}
