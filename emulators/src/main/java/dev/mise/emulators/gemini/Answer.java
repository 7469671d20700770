package dev.mise.emulators.gemini;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stand-in answers to one scripted call. Queue answers with {@link
 * GeminiStandIn#enqueue(Answer)} (in process) or {@code POST /_stand-in/answers} (out of process;
 * see {@link #fromJson}). An answer is used once; calls with nothing queued get the deterministic
 * local answer.
 */
public sealed interface Answer {

  /** A response body sent verbatim with HTTP 200 (a {@code GenerateContentResponse} JSON). */
  record Body(String json) implements Answer {}

  /** An HTTP error in the API's envelope, e.g. 429 {@code RESOURCE_EXHAUSTED}. */
  record Failure(int httpStatus, String status, String message) implements Answer {}

  /** Wait, then answer; longer than the client's timeout, it makes the call time out. */
  record Delayed(Duration delay, Answer then) implements Answer {}

  /** Server-sent events for a streaming call, each sent after its delay and flushed. */
  record Stream(List<Chunk> chunks) implements Answer {
    public Stream {
      chunks = List.copyOf(chunks);
    }
  }

  /** The deterministic local answer (useful after a {@link Delayed}). */
  record Local() implements Answer {}

  /** One event of a {@link Stream}. */
  record Chunk(Duration delayBefore, String json) {}

  /** A response with one candidate whose only part is {@code text}. */
  static Answer text(String text) {
    return new Body(
        GeminiJson.GSON.toJson(
            GeminiJson.response("scripted", List.of(GeminiJson.textPart(text)), "STOP", 0)));
  }

  static Answer body(String json) {
    return new Body(json);
  }

  static Answer error(int httpStatus, String message) {
    return new Failure(httpStatus, GeminiJson.statusFor(httpStatus), message);
  }

  /** 429 RESOURCE_EXHAUSTED, as a quota refusal. */
  static Answer rateLimited() {
    return error(429, "Resource has been exhausted (e.g. check quota).");
  }

  /** 500 INTERNAL. */
  static Answer internalError() {
    return error(500, "An internal error has occurred.");
  }

  /** 503 UNAVAILABLE. */
  static Answer unavailable() {
    return error(503, "The model is overloaded. Please try again later.");
  }

  /** Answer locally, but only after {@code delay}. */
  static Answer delayed(Duration delay) {
    return new Delayed(delay, new Local());
  }

  static Answer delayed(Duration delay, Answer then) {
    return new Delayed(delay, then);
  }

  /** A candidate stopped by the safety filter ({@code finishReason: SAFETY}, no content). */
  static Answer blocked() {
    return new Body(
        "{\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":"
            + "[{\"category\":\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\","
            + "\"blocked\":true}]}],\"modelVersion\":\"scripted\"}");
  }

  /**
   * A stream of text pieces, {@code gap} apart; the last chunk carries {@code finishReason: STOP}.
   */
  static Answer streamText(Duration gap, String... pieces) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < pieces.length; i++) {
      String finish = i == pieces.length - 1 ? "STOP" : null;
      JsonObject chunk =
          GeminiJson.response("scripted", List.of(GeminiJson.textPart(pieces[i])), finish, 0);
      chunks.add(new Chunk(i == 0 ? Duration.ZERO : gap, GeminiJson.GSON.toJson(chunk)));
    }
    return new Stream(chunks);
  }

  /**
   * An answer from its JSON form (the admin API's):
   *
   * <ul>
   *   <li>{@code {"text": "..."}} — one candidate with that text;
   *   <li>{@code {"body": {...}}} — that response body, verbatim;
   *   <li>{@code {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "..."}}}
   *       (status and message optional);
   *   <li>{@code {"stream": [{"delayMs": 100, "text": "..."}, {"body": {...}}]}};
   *   <li>{@code {"delayMs": 5000, "then": {...}}} (without {@code then}: the local answer);
   *   <li>{@code {"local": true}}.
   * </ul>
   */
  static Answer fromJson(JsonObject json) {
    if (json.has("delayMs") && !json.has("stream")) {
      Duration delay = Duration.ofMillis(json.get("delayMs").getAsLong());
      Answer then =
          json.has("then") ? fromJson(json.getAsJsonObject("then")) : (Answer) new Local();
      return new Delayed(delay, then);
    }
    if (json.has("text")) {
      return text(json.get("text").getAsString());
    }
    if (json.has("body")) {
      return new Body(GeminiJson.GSON.toJson(json.get("body")));
    }
    if (json.has("error")) {
      JsonObject error = json.getAsJsonObject("error");
      int code = error.has("code") ? error.get("code").getAsInt() : 500;
      return new Failure(
          code,
          error.has("status") ? error.get("status").getAsString() : GeminiJson.statusFor(code),
          error.has("message") ? error.get("message").getAsString() : "Scripted error " + code);
    }
    if (json.has("stream")) {
      List<Chunk> chunks = new ArrayList<>();
      int index = 0;
      for (JsonElement element : json.getAsJsonArray("stream")) {
        JsonObject chunk = element.getAsJsonObject();
        Duration delay =
            Duration.ofMillis(chunk.has("delayMs") ? chunk.get("delayMs").getAsLong() : 0);
        JsonObject body =
            chunk.has("body")
                ? chunk.getAsJsonObject("body")
                : GeminiJson.response(
                    "scripted",
                    List.of(GeminiJson.textPart(chunk.get("text").getAsString())),
                    index == json.getAsJsonArray("stream").size() - 1 ? "STOP" : null,
                    0);
        chunks.add(new Chunk(delay, GeminiJson.GSON.toJson(body)));
        index++;
      }
      return new Stream(chunks);
    }
    if (json.has("local")) {
      return new Local();
    }
    throw new IllegalArgumentException(
        "an answer needs one of text, body, error, stream, delayMs or local");
  }
}
