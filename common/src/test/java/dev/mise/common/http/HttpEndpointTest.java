package dev.mise.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.common.logging.Log;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final Log log =
      new Log(
          "test",
          new PrintStream(logBytes, true, StandardCharsets.UTF_8),
          Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

  private HttpEndpoint endpoint(HttpEndpoint.Handler handler) {
    return new HttpEndpoint("demo-mise", log, () -> "generated-id", Clock.systemUTC(), handler);
  }

  private List<JsonObject> logLines() {
    return logBytes
        .toString(StandardCharsets.UTF_8)
        .lines()
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .toList();
  }

  @Test
  void echoesTheCallersRequestIdAndLogsWithTrace() {
    FakeHttpResponse response = new FakeHttpResponse();
    endpoint((req, res, ctx) -> res.setStatusCode(204))
        .serve(
            FakeHttpRequest.get("/x")
                .header("X-Request-Id", "edge-123")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            response);

    assertEquals(204, response.status());
    assertEquals("edge-123", response.header("X-Request-Id").orElseThrow());
    JsonObject line = logLines().get(0);
    assertEquals("edge-123", line.get("requestId").getAsString());
    assertEquals(
        "projects/demo-mise/traces/0af7651916cd43dd8448eb211c80319c",
        line.get(Log.TRACE_KEY).getAsString());
    assertEquals(204, line.get("status").getAsInt());
  }

  @Test
  void generatesAnIdWhenTheCallersIsMissingOrUnsafe() {
    FakeHttpResponse response = new FakeHttpResponse();
    endpoint((req, res, ctx) -> res.setStatusCode(204))
        .serve(FakeHttpRequest.get("/x").header("X-Request-Id", "bad id\n{json}"), response);
    assertEquals("generated-id", response.header("X-Request-Id").orElseThrow());
  }

  @Test
  void problemExceptionBecomesProblemJsonWithItsHeaders() {
    FakeHttpResponse response = new FakeHttpResponse();
    endpoint(
            (req, res, ctx) -> {
              throw ProblemException.methodNotAllowed("POST");
            })
        .serve(FakeHttpRequest.get("/x"), response);

    assertEquals(405, response.status());
    assertEquals(Problem.MEDIA_TYPE, response.getContentType().orElseThrow());
    assertEquals("POST", response.header("Allow").orElseThrow());
    JsonObject body = response.json();
    assertEquals(405, body.get("status").getAsInt());
    assertEquals("generated-id", body.get("instance").getAsString());
    assertEquals("https://mise.dev/problems/method-not-allowed", body.get("type").getAsString());
  }

  @Test
  void unexpectedExceptionIsA500CarryingOnlyTheRequestId() {
    FakeHttpResponse response = new FakeHttpResponse();
    endpoint(
            (req, res, ctx) -> {
              throw new IllegalStateException("secret database password in message");
            })
        .serve(FakeHttpRequest.get("/x").header("X-Request-Id", "r-1"), response);

    assertEquals(500, response.status());
    String body = response.bodyText();
    assertFalse(body.contains("secret"), body);
    assertFalse(body.contains("IllegalStateException"), body);
    assertFalse(body.contains("at dev.mise"), body);
    assertEquals("r-1", response.json().get("instance").getAsString());
    JsonObject line = logLines().get(0);
    assertEquals("ERROR", line.get("severity").getAsString());
    assertTrue(line.get("stack_trace").getAsString().contains("secret database password"));
  }

  @Test
  void aProblemAfterTheBodyStartedIsLoggedNotWritten() {
    FakeHttpResponse response = new FakeHttpResponse();
    endpoint(
            (req, res, ctx) -> {
              res.setContentType("text/event-stream");
              res.getWriter().write("data: one\n\n");
              throw ProblemException.badRequest("late");
            })
        .serve(FakeHttpRequest.get("/x"), response);

    assertEquals(200, response.status());
    assertEquals("data: one\n\n", response.bodyText());
  }

  @Test
  void aHandlerThatClosedItsBodyIsServedNotFailed() {
    FakeHttpResponse response = new FakeHttpResponse();
    endpoint(
            (req, res, ctx) -> {
              try (var out = res.getOutputStream()) {
                out.write("{}".getBytes(StandardCharsets.UTF_8));
              }
            })
        .serve(FakeHttpRequest.get("/x"), response);

    assertEquals(200, response.status());
    assertEquals("{}", response.bodyText());
    JsonObject line = logLines().get(0);
    assertEquals("INFO", line.get("severity").getAsString(), line.toString());
    assertEquals("served", line.get("message").getAsString());
  }
}
