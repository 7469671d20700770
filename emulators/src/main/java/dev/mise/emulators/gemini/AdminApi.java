package dev.mise.emulators.gemini;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The stand-in's scripting API over HTTP, for tests whose code under test runs in another process
 * (functions under the invoker). All bodies are JSON.
 *
 * <ul>
 *   <li>{@code POST /_stand-in/answers[?model=M]} — queue one answer or an array of answers (the
 *       forms of {@link Answer#fromJson}; {@code "times": n} repeats one); 204.
 *   <li>{@code GET /_stand-in/requests[?model=M]} — {@code {"requests": [{"model", "method",
 *       "path", "receivedAt", "body"}]}}, oldest first.
 *   <li>{@code DELETE /_stand-in/requests} — forget recorded calls; 204.
 *   <li>{@code PUT /_stand-in/latency} — {@code {"text": 800, "image": 1500, "audio": 0,
 *       "embedding": 0}} (milliseconds, any subset); 204.
 *   <li>{@code POST /_stand-in/reset} — forget answers, calls and latencies; 204.
 *   <li>{@code GET /_stand-in/health} — {@code {"status": "ok"}}.
 * </ul>
 */
final class AdminApi implements HttpHandler {

  private final GeminiStandIn standIn;

  AdminApi(GeminiStandIn standIn) {
    this.standIn = standIn;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String route =
          exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath().substring(10);
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String model = queryParameter(exchange, "model");
      try {
        switch (route) {
          case "GET /health" -> GeminiStandIn.send(exchange, 200, "{\"status\":\"ok\"}");
          case "POST /answers" -> {
            enqueue(JsonParser.parseString(body), model);
            noContent(exchange);
          }
          case "GET /requests" -> GeminiStandIn.send(exchange, 200, requests(model));
          case "DELETE /requests" -> {
            standIn.clearRequests();
            noContent(exchange);
          }
          case "PUT /latency" -> {
            JsonObject latencies = JsonParser.parseString(body).getAsJsonObject();
            for (String kind : latencies.keySet()) {
              standIn.setLatency(
                  RequestKind.valueOf(kind.toUpperCase(Locale.ROOT)),
                  Duration.ofMillis(latencies.get(kind).getAsLong()));
            }
            noContent(exchange);
          }
          case "POST /reset" -> {
            standIn.reset();
            noContent(exchange);
          }
          default -> badRequest(exchange, 404, "No admin route " + route);
        }
      } catch (JsonSyntaxException | IllegalArgumentException | IllegalStateException e) {
        badRequest(exchange, 400, e.getMessage());
      }
    }
  }

  private void enqueue(JsonElement json, String model) {
    List<JsonElement> answers = json.isJsonArray() ? json.getAsJsonArray().asList() : List.of(json);
    // Parse all first, so a bad entry queues nothing.
    List<JsonObject> objects = answers.stream().map(JsonElement::getAsJsonObject).toList();
    objects.forEach(Answer::fromJson);
    for (JsonObject object : objects) {
      int times = object.has("times") ? object.get("times").getAsInt() : 1;
      for (int i = 0; i < times; i++) {
        Answer answer = Answer.fromJson(object);
        if (model == null) {
          standIn.enqueue(answer);
        } else {
          standIn.enqueue(model, answer);
        }
      }
    }
  }

  private String requests(String model) {
    JsonArray array = new JsonArray();
    for (RecordedRequest request : model == null ? standIn.requests() : standIn.requests(model)) {
      JsonObject entry = new JsonObject();
      entry.addProperty("model", request.model());
      entry.addProperty("method", request.method());
      entry.addProperty("path", request.path());
      entry.add("receivedAt", new JsonPrimitive(request.receivedAt().toString()));
      entry.add("body", request.body());
      array.add(entry);
    }
    JsonObject answer = new JsonObject();
    answer.add("requests", array);
    return GeminiJson.GSON.toJson(answer);
  }

  private static void noContent(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(204, -1);
  }

  private static void badRequest(HttpExchange exchange, int code, String message)
      throws IOException {
    GeminiStandIn.send(
        exchange,
        code,
        GeminiJson.GSON.toJson(GeminiJson.error(code, GeminiJson.statusFor(code), message)));
  }

  private static String queryParameter(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).equals(name)) {
        return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
