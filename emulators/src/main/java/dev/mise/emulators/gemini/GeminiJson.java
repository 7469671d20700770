package dev.mise.emulators.gemini;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.UUID;

/** The Gemini REST API's JSON shapes, as the google-genai SDK reads them. */
final class GeminiJson {

  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  private GeminiJson() {}

  /** A text part. */
  static JsonObject textPart(String text) {
    JsonObject part = new JsonObject();
    part.addProperty("text", text);
    return part;
  }

  /** An inline-data part: base64 bytes with their MIME type. */
  static JsonObject inlinePart(String mimeType, byte[] data) {
    JsonObject inline = new JsonObject();
    inline.addProperty("mimeType", mimeType);
    inline.addProperty("data", java.util.Base64.getEncoder().encodeToString(data));
    JsonObject part = new JsonObject();
    part.add("inlineData", inline);
    return part;
  }

  /**
   * A {@code GenerateContentResponse} with one candidate. {@code finishReason} null means a
   * streamed chunk that is not the last one.
   */
  static JsonObject response(
      String model, List<JsonObject> parts, String finishReason, int promptTokens) {
    JsonObject content = new JsonObject();
    JsonArray partArray = new JsonArray();
    parts.forEach(partArray::add);
    content.add("parts", partArray);
    content.addProperty("role", "model");
    JsonObject candidate = new JsonObject();
    candidate.add("content", content);
    if (finishReason != null) {
      candidate.addProperty("finishReason", finishReason);
    }
    candidate.addProperty("index", 0);
    JsonArray candidates = new JsonArray();
    candidates.add(candidate);

    int outputTokens = 0;
    for (JsonObject part : parts) {
      outputTokens += part.has("text") ? tokens(part.get("text").getAsString()) : 258;
    }
    JsonObject usage = new JsonObject();
    usage.addProperty("promptTokenCount", promptTokens);
    usage.addProperty("candidatesTokenCount", outputTokens);
    usage.addProperty("totalTokenCount", promptTokens + outputTokens);

    JsonObject response = new JsonObject();
    response.add("candidates", candidates);
    response.add("usageMetadata", usage);
    response.addProperty("modelVersion", model);
    response.addProperty("responseId", UUID.randomUUID().toString().replace("-", ""));
    return response;
  }

  /** The API's error envelope, e.g. {@code {"error":{"code":429,...}}}. */
  static JsonObject error(int code, String status, String message) {
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("message", message);
    error.addProperty("status", status);
    JsonObject envelope = new JsonObject();
    envelope.add("error", error);
    return envelope;
  }

  /** The canonical status name the API pairs with an HTTP code. */
  static String statusFor(int code) {
    return switch (code) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }

  /** A rough token count (about four characters a token), enough for usage metadata. */
  static int tokens(String text) {
    return text.isEmpty() ? 0 : Math.max(1, text.length() / 4);
  }

  /** The text of every text part of a response's first candidate, joined. */
  static String candidateText(JsonObject response) {
    StringBuilder text = new StringBuilder();
    JsonArray candidates = arrayOrEmpty(response, "candidates");
    if (candidates.isEmpty()) {
      return "";
    }
    JsonObject content = candidates.get(0).getAsJsonObject().getAsJsonObject("content");
    for (JsonElement part : arrayOrEmpty(content, "parts")) {
      if (part.getAsJsonObject().has("text")) {
        text.append(part.getAsJsonObject().get("text").getAsString());
      }
    }
    return text.toString();
  }

  static JsonArray arrayOrEmpty(JsonObject object, String member) {
    return object != null && object.has(member) && object.get(member).isJsonArray()
        ? object.getAsJsonArray(member)
        : new JsonArray();
  }

  static JsonObject objectOrEmpty(JsonObject object, String member) {
    return object != null && object.has(member) && object.get(member).isJsonObject()
        ? object.getAsJsonObject(member)
        : new JsonObject();
  }
}
