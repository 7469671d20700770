package dev.mise.common.sse;

import com.google.cloud.functions.HttpResponse;
import dev.mise.common.http.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events response of an HTTP function. Opening it sets the headers ({@code
 * text/event-stream}, {@code Cache-Control: no-cache, no-transform} so no proxy caches or
 * compresses it, {@code X-Accel-Buffering: no} so none buffers it) and writes the {@code retry:}
 * line; every event is flushed as soon as it is written, because the functions framework streams a
 * response only as far as it has been flushed. A scheduler writes a {@code : ping} comment every
 * heartbeat interval so that idle proxies keep the connection and a vanished client is noticed.
 *
 * <p>A client that goes away shows up as a failed write: from then on {@link #isOpen()} is false,
 * every send returns false without writing, and the {@link #onClientGone} listeners run once.
 * Callers decide what to do about it (finish paid-for work, start nothing new). Writes are
 * serialized, so events and heartbeats may come from different threads.
 *
 * <pre>{@code
 * try (SseStream stream = SseStream.open(response, SseStream.Options.DEFAULTS, scheduler)) {
 *   stream.send(SseEvent.json("1", "status", status));
 *   if (!stream.send(SseEvent.json("2", "menu_data", menu))) { ... the client is gone ... }
 * }
 * }</pre>
 */
public final class SseStream implements AutoCloseable {

  public static final String MEDIA_TYPE = "text/event-stream; charset=utf-8";

  /**
   * How the stream behaves.
   *
   * @param retry the reconnection delay announced to the client ({@code retry:})
   * @param heartbeat the interval between {@code : ping} comments
   */
  public record Options(Duration retry, Duration heartbeat) {
    /** Reconnect after 3 s, ping every 15 s (below the 30 s+ idle timeouts of common proxies). */
    public static final Options DEFAULTS =
        new Options(Duration.ofSeconds(3), Duration.ofSeconds(15));

    public Options {
      Objects.requireNonNull(retry, "retry");
      if (heartbeat.isNegative() || heartbeat.isZero()) {
        throw new IllegalArgumentException("heartbeat must be positive");
      }
    }
  }

  private final OutputStream out;
  private final List<Runnable> goneListeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private ScheduledFuture<?> heartbeat;
  private boolean closed;
  private boolean gone;
  private IOException goneCause;

  private SseStream(OutputStream out) {
    this.out = out;
  }

  /**
   * Starts the stream on a response that has not been written to: status 200, the headers, the
   * {@code retry:} line, flushed; then heartbeats on the scheduler until {@link #close()}.
   */
  public static SseStream open(
      HttpResponse response, Options options, ScheduledExecutorService scheduler)
      throws IOException {
    response.setStatusCode(200);
    response.setContentType(MEDIA_TYPE);
    response.appendHeader("Cache-Control", "no-cache, no-transform");
    response.appendHeader("X-Accel-Buffering", "no");
    return over(response.getOutputStream(), options, scheduler);
  }

  /** A stream over a raw body, for callers that set the headers themselves (and for tests). */
  public static SseStream over(
      OutputStream body, Options options, ScheduledExecutorService scheduler) {
    SseStream stream = new SseStream(body);
    stream.write("retry: " + options.retry().toMillis() + "\n\n");
    long every = options.heartbeat().toMillis();
    // Each ping on a virtual thread of its own: a write blocked on one slow client must not hold
    // up the scheduler that keeps every other stream of the instance alive.
    stream.heartbeat =
        scheduler.scheduleAtFixedRate(
            () -> Thread.ofVirtual().name("sse-ping").start(stream::ping),
            every,
            every,
            TimeUnit.MILLISECONDS);
    return stream;
  }

  /** Writes and flushes one event; false when the client is gone or the stream is closed. */
  public boolean send(SseEvent event) {
    return write(event.wire());
  }

  /** Sends an {@code error} event carrying a problem document. */
  public boolean sendError(String id, Problem problem) {
    return send(SseEvent.json(id, "error", problem.toJson()));
  }

  /** Writes a {@code : ping} comment, which clients ignore; false when the client is gone. */
  public boolean ping() {
    return write(": ping\n\n");
  }

  /** True until the client is gone or the stream is closed. */
  public boolean isOpen() {
    synchronized (lock) {
      return !closed && !gone;
    }
  }

  /** True once a write failed because the client went away. */
  public boolean clientGone() {
    synchronized (lock) {
      return gone;
    }
  }

  /** Why the client was declared gone (the failed write's exception), or null. */
  public IOException goneCause() {
    synchronized (lock) {
      return goneCause;
    }
  }

  /** Runs once when a write fails; at once if that already happened. */
  public void onClientGone(Runnable listener) {
    boolean already;
    synchronized (lock) {
      already = gone;
      if (!already) {
        goneListeners.add(listener);
      }
    }
    if (already) {
      listener.run();
    }
  }

  /** Stops the heartbeats; the response ends when the function returns. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
  }

  private boolean write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    IOException failure;
    synchronized (lock) {
      if (closed || gone) {
        return false;
      }
      try {
        out.write(bytes);
        out.flush();
        return true;
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException e) {
        // Some servers report a reset connection unchecked (e.g. as an IllegalStateException).
        failure = new IOException(e);
      }
      gone = true;
      goneCause = failure;
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    for (Runnable listener : goneListeners) {
      listener.run();
    }
    goneListeners.clear();
    return false;
  }
}
