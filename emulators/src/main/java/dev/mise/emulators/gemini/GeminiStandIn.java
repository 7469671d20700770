package dev.mise.emulators.gemini;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Gemini API: an HTTP server answering the REST calls the google-genai SDK makes ({@code
 * POST /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse}, {@code
 * :batchEmbedContents}, {@code :embedContent}; Vertex-style paths ending in {@code
 * /models/{model}:{method}} too), in the real API's JSON shapes. Point the SDK at {@link
 * #baseUrl()} with {@code HttpOptions.baseUrl} or {@code GOOGLE_GEMINI_BASE_URL}; any API key is
 * accepted.
 *
 * <p>Answers are scripted ({@link #enqueue}, or {@code POST /_stand-in/answers} from another
 * process; see {@link AdminApi}) or, when nothing is queued, local and deterministic ({@link
 * LocalAnswers}). Every call is recorded ({@link #requests()}). {@link #setLatency} adds a fixed
 * delay per {@link RequestKind}, for benchmarks.
 *
 * <pre>{@code
 * try (GeminiStandIn gemini = GeminiStandIn.start(0)) {
 *   gemini.enqueue("gemini-2.5-flash", Answer.rateLimited());
 *   // ... code under test calls the SDK with baseUrl(gemini.baseUrl()) ...
 *   assertEquals(1, gemini.requests().size());
 * }
 * }</pre>
 */
public final class GeminiStandIn implements AutoCloseable {

  private static final Pattern MODEL_CALL = Pattern.compile(".*/models/([^/:]+):([A-Za-z]+)$");
  private static final int LOG_LIMIT = 100;

  private final HttpServer server;
  private final ExecutorService executor;
  private final LocalAnswers local;
  private final Deque<Answer> anyModel = new ArrayDeque<>();
  private final Map<String, Deque<Answer>> byModel = new HashMap<>();
  private final Deque<RecordedRequest> log = new ArrayDeque<>();
  private final Map<RequestKind, Duration> latencies = new EnumMap<>(RequestKind.class);

  private GeminiStandIn(HttpServer server, LocalAnswers local) {
    this.server = server;
    this.local = local;
    // Virtual threads: a scripted delay or a slow stream holds no platform thread.
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.createContext("/_stand-in/", new AdminApi(this));
    server.start();
  }

  /** Starts on 127.0.0.1:{@code port} ({@code 0}: a free port), with tesseract and espeak-ng. */
  public static GeminiStandIn start(int port) {
    return start(port, "tesseract", null, "espeak-ng");
  }

  /**
   * Starts with explicit programs for OCR and speech (a missing program gives the placeholder
   * answers).
   *
   * @param ocrLanguages tesseract's {@code -l}, or null for English (plus Japanese if installed)
   */
  static GeminiStandIn start(int port, String tesseract, String ocrLanguages, String espeak) {
    System.setProperty("java.awt.headless", "true");
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      return new GeminiStandIn(
          server,
          new LocalAnswers(new TesseractOcr(tesseract, ocrLanguages), new SpeechAudio(espeak)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /** Runs the stand-in as its own process: {@code GeminiStandIn [port]} (default 0). */
  public static void main(String[] args) throws InterruptedException {
    GeminiStandIn standIn = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
    System.out.println("Gemini stand-in listening on " + standIn.baseUrl());
    Thread.currentThread().join();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL to give the SDK, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Queues an answer for the next call to any model. */
  public synchronized void enqueue(Answer answer) {
    anyModel.add(answer);
  }

  /** Queues an answer for the next call to {@code model}; it is used before any-model answers. */
  public synchronized void enqueue(String model, Answer answer) {
    byModel.computeIfAbsent(model, m -> new ArrayDeque<>()).add(answer);
  }

  /** Every call received so far (the latest 100: bodies hold whole photos), oldest first. */
  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(log);
  }

  /** The calls to one model, oldest first. */
  public synchronized List<RecordedRequest> requests(String model) {
    return log.stream().filter(r -> r.model().equals(model)).toList();
  }

  /** A fixed delay before every answer of this kind (local or scripted); zero to remove. */
  public synchronized void setLatency(RequestKind kind, Duration latency) {
    latencies.put(kind, latency);
  }

  /** Forgets queued answers, recorded calls and latencies. */
  public synchronized void reset() {
    anyModel.clear();
    byModel.clear();
    log.clear();
    latencies.clear();
  }

  /** Forgets recorded calls only. */
  public synchronized void clearRequests() {
    log.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    // Interrupts handlers sleeping in a scripted delay, so nothing outlives the stand-in.
    executor.shutdownNow();
  }

  private synchronized Answer next(String model, RecordedRequest request) {
    if (log.size() == LOG_LIMIT) {
      log.removeFirst();
    }
    log.add(request);
    Deque<Answer> queue = byModel.get(model);
    Answer answer = queue == null ? null : queue.poll();
    if (answer == null) {
      answer = anyModel.poll();
    }
    return answer == null ? new Answer.Local() : answer;
  }

  private synchronized Duration latency(RequestKind kind) {
    return latencies.getOrDefault(kind, Duration.ZERO);
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      try {
        serve(exchange);
      } catch (IOException e) {
        // The client gave up (its timeout) while we were answering: nothing left to do.
      } catch (RuntimeException e) {
        // A bug or an odd schema in the local answer: say so rather than drop the connection.
        try {
          sendError(exchange, 500, "INTERNAL", "Gemini stand-in failed: " + e);
        } catch (IOException | RuntimeException ignored) {
          // Headers were already sent; the client sees a cut stream.
        }
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Matcher call = MODEL_CALL.matcher(path);
    byte[] raw = exchange.getRequestBody().readAllBytes();
    if (!exchange.getRequestMethod().equals("POST") || !call.matches()) {
      sendError(exchange, 404, "NOT_FOUND", "No stand-in route for " + path);
      return;
    }
    String model = call.group(1);
    String method = call.group(2);
    if (!List.of("generateContent", "streamGenerateContent", "batchEmbedContents", "embedContent")
        .contains(method)) {
      sendError(exchange, 501, "UNIMPLEMENTED", "The stand-in does not implement " + method);
      return;
    }
    JsonObject body;
    try {
      body = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      sendError(exchange, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    RecordedRequest request =
        new RecordedRequest(
            model, method, query == null ? path : path + "?" + query, body, Instant.now());
    Answer answer = next(model, request);
    if (pause(latency(RequestKind.of(request)))) {
      respond(exchange, request, answer);
    }
  }

  private void respond(HttpExchange exchange, RecordedRequest request, Answer answer)
      throws IOException {
    boolean streaming = request.method().equals("streamGenerateContent");
    switch (answer) {
      case Answer.Delayed delayed -> {
        if (pause(delayed.delay())) {
          respond(exchange, request, delayed.then());
        }
      }
      case Answer.Failure failure ->
          sendError(exchange, failure.httpStatus(), failure.status(), failure.message());
      case Answer.Body body ->
          sendAnswer(exchange, streaming, List.of(new Answer.Chunk(Duration.ZERO, body.json())));
      case Answer.Stream stream -> sendAnswer(exchange, streaming, stream.chunks());
      case Answer.Local ignored -> {
        if (RequestKind.of(request) == RequestKind.EMBEDDING) {
          send(exchange, 200, GeminiJson.GSON.toJson(local.embed(request)));
        } else if (streaming) {
          List<Answer.Chunk> chunks = new ArrayList<>();
          for (JsonObject chunk : local.stream(request)) {
            chunks.add(new Answer.Chunk(Duration.ZERO, GeminiJson.GSON.toJson(chunk)));
          }
          sendEvents(exchange, chunks);
        } else {
          send(exchange, 200, GeminiJson.GSON.toJson(local.generate(request)));
        }
      }
    }
  }

  /** Chunks as events to a streaming call; to a unary call, one response with their text. */
  private void sendAnswer(HttpExchange exchange, boolean streaming, List<Answer.Chunk> chunks)
      throws IOException {
    if (streaming) {
      sendEvents(exchange, chunks);
    } else if (chunks.size() == 1) {
      send(exchange, 200, chunks.get(0).json());
    } else {
      StringBuilder text = new StringBuilder();
      for (Answer.Chunk chunk : chunks) {
        text.append(
            GeminiJson.candidateText(JsonParser.parseString(chunk.json()).getAsJsonObject()));
      }
      send(
          exchange,
          200,
          GeminiJson.GSON.toJson(
              GeminiJson.response(
                  "scripted", List.of(GeminiJson.textPart(text.toString())), "STOP", 0)));
    }
  }

  /** Server-sent events, one {@code data:} line per chunk, each flushed as it is written. */
  private void sendEvents(HttpExchange exchange, List<Answer.Chunk> chunks) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (Answer.Chunk chunk : chunks) {
      if (!pause(chunk.delayBefore())) {
        return;
      }
      // Re-serialised so a pretty-printed scripted body still fits on one data: line.
      JsonElement json = JsonParser.parseString(chunk.json());
      out.write(
          ("data: " + GeminiJson.GSON.toJson(json) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static void sendError(HttpExchange exchange, int code, String status, String message)
      throws IOException {
    send(exchange, code, GeminiJson.GSON.toJson(GeminiJson.error(code, status, message)));
  }

  static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Sleeps; false when interrupted (the stand-in is closing). */
  private static boolean pause(Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      return true;
    }
    try {
      Thread.sleep(duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
