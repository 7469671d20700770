package dev.mise.emulators.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a function that a queue or bus pushes to: an HTTP server on a free port of
 * 127.0.0.1 that records each request and answers with scripted statuses (200 by default). Requests
 * are handled concurrently, as an autoscaled function would take them, so overlapping deliveries
 * show in {@link #maxInFlight()}.
 */
public final class RecordingHttpTarget implements AutoCloseable {

  /** One request as the target saw it; header names compare case-insensitively. */
  public record Received(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      long arrivedMillis) {

    /** The header's values joined by commas, or null when it was not sent. */
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : String.join(",", values);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<Integer> scripted = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile int lastStatus = 200;
  private volatile long holdMillis;

  private RecordingHttpTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public static RecordingHttpTarget start() {
    try {
      return new RecordingHttpTarget();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers the next requests with these statuses in turn, and every later one with the last. */
  public void respondWith(int... statuses) {
    scripted.clear();
    for (int status : statuses) {
      scripted.add(status);
    }
    lastStatus = statuses[statuses.length - 1];
  }

  /** Keeps each request open this long before answering, as a slow handler would. */
  public void holdFor(long millis) {
    this.holdMillis = millis;
  }

  /** The next request, waiting up to 10 s; fails the test when none comes. */
  public Received next() throws InterruptedException {
    Received request = received.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request reached " + url("/") + " within 10 s");
    }
    return request;
  }

  public boolean nothingReceived() {
    return received.isEmpty();
  }

  /** The most requests that were open at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try (exchange) {
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name, List.copyOf(values)));
      byte[] body = exchange.getRequestBody().readAllBytes();
      Received request =
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              headers,
              body,
              System.currentTimeMillis());
      if (holdMillis > 0) {
        Thread.sleep(holdMillis);
      }
      Integer next = scripted.poll();
      inFlight.decrementAndGet();
      // Recorded before answering: whoever sees the sender react has seen the request.
      received.add(request);
      exchange.sendResponseHeaders(next != null ? next : lastStatus, -1);
    } catch (InterruptedException e) {
      // close() interrupts requests still held; they end unanswered.
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
