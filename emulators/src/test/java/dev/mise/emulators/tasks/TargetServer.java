package dev.mise.emulators.tasks;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP task target on a free port of 127.0.0.1 that records every request and answers with a
 * scripted status. Requests are handled on their own threads, so overlapping dispatches show.
 */
final class TargetServer implements AutoCloseable {

  record Received(
      String method, String path, Map<String, String> headers, byte[] body, long arrivedMillis) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final BlockingQueue<Integer> scripted = new LinkedBlockingQueue<>();
  private volatile int lastStatus = 200;
  private volatile long holdMillis;

  private TargetServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  static TargetServer start() {
    try {
      return new TargetServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers the next requests with these statuses in turn, and every later one with the last. */
  void respondWith(int... statuses) {
    scripted.clear();
    for (int s : statuses) {
      scripted.add(s);
    }
    lastStatus = statuses[statuses.length - 1];
  }

  /** Keeps each request open this long before answering, as a slow handler would. */
  void holdFor(long millis) {
    this.holdMillis = millis;
  }

  /** The next request to arrive, waiting up to 10 s. */
  Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(r, "no request reached the target within 10 s");
    return r;
  }

  boolean nothingReceived() {
    return received.isEmpty();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      byte[] body = exchange.getRequestBody().readAllBytes();
      Received r =
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
      int code = next != null ? next : lastStatus;
      inFlight.decrementAndGet();
      // Recorded before answering, so a test that sees the task gone has seen its request.
      received.add(r);
      exchange.sendResponseHeaders(code, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
