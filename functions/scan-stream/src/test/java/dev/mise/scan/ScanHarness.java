package dev.mise.scan;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.common.auth.LocalToken;
import dev.mise.common.auth.UserAuth;
import dev.mise.common.config.Env;
import dev.mise.common.logging.Log;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.models.Models;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import dev.mise.common.testing.InMemoryBlobStore;
import dev.mise.common.testing.InMemoryJobStore;
import dev.mise.common.testing.MovableClock;
import dev.mise.common.testing.ScriptedModels;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two scan functions over in-memory ports: a job store, a blob store, scripted models, users
 * with emulator tokens, a clock tests can move, and a captured log.
 */
final class ScanHarness {

  static final String PROJECT = "demo-mise";
  static final String EDGE = "http://edge.test";

  final InMemoryJobStore store = new InMemoryJobStore();
  final InMemoryBlobStore blobs = new InMemoryBlobStore(EDGE);
  final ScriptedModels scripted = new ScriptedModels();
  final MovableClock clock = new MovableClock(Instant.now());
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final Log log =
      new Log("scan-test", new PrintStream(logBytes, true, StandardCharsets.UTF_8), clock);
  SessionFollower.Pause pause = duration -> {};
  ScanSettings settings = ScanSettings.defaults();
  ScanRuntime runtime;
  ScanStream scan;
  ScanEvents events;

  ScanHarness() {
    build(scripted);
  }

  /** (Re)wires the functions, e.g. with other models or settings. */
  ScanHarness build(Models models) {
    UserAuth users =
        UserAuth.fromEnv(
            new Env(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", PROJECT,
                    "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099",
                    "AUTH_JWKS_URL", "http://127.0.0.1:9/unused")));
    runtime = ScanRuntime.of(users, store, blobs, models, settings, clock, d -> pause.sleep(d));
    scan = new ScanStream(runtime, log);
    events = new ScanEvents(runtime, log);
    return this;
  }

  static String token(String uid) {
    return LocalToken.forUser(uid, PROJECT, Instant.now(), Duration.ofHours(1));
  }

  static FakeHttpRequest jsonScan(String uid, byte[] image, String moreFields) {
    String json =
        "{\"image\":\"" + Base64.getEncoder().encodeToString(image) + "\"" + moreFields + "}";
    return FakeHttpRequest.post("/api/v1/scan/stream")
        .header("Authorization", "Bearer " + token(uid))
        .header("Accept", "text/event-stream")
        .json(json);
  }

  static FakeHttpRequest resume(String uid, String sessionId, String lastEventId) {
    FakeHttpRequest request =
        FakeHttpRequest.get("/api/v1/scan/" + sessionId + "/events")
            .header("Authorization", "Bearer " + token(uid))
            .header("Accept", "text/event-stream");
    return lastEventId == null ? request : request.header("Last-Event-ID", lastEventId);
  }

  FakeHttpResponse post(FakeHttpRequest request) {
    FakeHttpResponse response = new FakeHttpResponse();
    scan.service(request, response);
    return response;
  }

  SseTranscript stream(FakeHttpRequest request) {
    FakeHttpResponse response = post(request);
    if (response.status() != 200) {
      throw new AssertionError("status " + response.status() + ": " + response.bodyText());
    }
    return SseTranscript.parse(response.bodyText());
  }

  SseTranscript follow(FakeHttpRequest request) {
    FakeHttpResponse response = new FakeHttpResponse();
    events.service(request, response);
    if (response.status() != 200) {
      throw new AssertionError("status " + response.status() + ": " + response.bodyText());
    }
    return SseTranscript.parse(response.bodyText());
  }

  Map<String, Object> session(String sessionId) {
    return store.get("scanSessions", sessionId).orElseThrow();
  }

  /** Whether some session has logged (so streamed) an image_update for the item. */
  boolean streamedImageUpdate(String itemId) {
    for (String path : store.paths()) {
      if (!path.startsWith("scanSessions/")) {
        continue;
      }
      Object events =
          store
              .get("scanSessions", path.substring("scanSessions/".length()))
              .orElseThrow()
              .get("events");
      for (Object event : (List<?>) events) {
        Map<?, ?> entry = (Map<?, ?>) event;
        if ("image_update".equals(entry.get("name"))
            && ((String) entry.get("data")).contains("\"itemId\":\"" + itemId + "\"")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every log line, parsed. */
  List<JsonObject> logLines() {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : logBytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(JsonParser.parseString(line).getAsJsonObject());
      }
    }
    return lines;
  }

  Optional<JsonObject> logLine(String message) {
    return logLines().stream()
        .filter(l -> l.get("message").getAsString().equals(message))
        .findFirst();
  }

  /** The menu-reading call: the only model call that asks for a response schema. */
  static boolean isVision(ModelRequest request) {
    return request.responseSchema() != null;
  }

  /** Answers every menu reading with the sample menu and every picture call with a PNG. */
  void answerEveryScan() {
    scripted.otherwise(
        r ->
            isVision(r)
                ? ScriptedModels.text(Menus.answer().toString())
                : ScriptedModels.media("image/png", ScanStreamTest.PNG));
  }

  /** How many picture calls the models have had. */
  long imageCalls() {
    return scripted.requests().stream().filter(ModelRequest::wantImage).count();
  }

  /**
   * A response whose client goes away: writes fail from the {@code failAt}-th flush on (the {@code
   * retry:} line is flush 1, the {@code status} event flush 2, ...).
   */
  static final class DroppingResponse extends FakeHttpResponse {
    private final int failAt;
    private int flushes;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    DroppingResponse(int failAt) {
      this.failAt = failAt;
    }

    /** What reached the client before it left. */
    SseTranscript transcript() {
      return SseTranscript.parse(received.toString(StandardCharsets.UTF_8));
    }

    @Override
    public OutputStream getOutputStream() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          synchronized (DroppingResponse.this) {
            if (flushes + 1 >= failAt) {
              throw new IOException("Broken pipe");
            }
            pending.write(b, off, len);
          }
        }

        @Override
        public void flush() throws IOException {
          synchronized (DroppingResponse.this) {
            flushes++;
            if (flushes >= failAt) {
              throw new IOException("Connection reset by peer");
            }
            received.writeBytes(pending.toByteArray());
            pending.reset();
          }
        }
      };
    }

    @Override
    public BufferedWriter getWriter() {
      throw new UnsupportedOperationException("the scan writes bytes");
    }
  }
}
