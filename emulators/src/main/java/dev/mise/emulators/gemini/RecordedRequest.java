package dev.mise.emulators.gemini;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One model call the stand-in received, as the SDK sent it.
 *
 * @param model the model id from the path, e.g. {@code gemini-2.5-flash}
 * @param method the API method, e.g. {@code generateContent}, {@code streamGenerateContent}, {@code
 *     batchEmbedContents}
 * @param path the request path with its query
 * @param body the parsed JSON body
 * @param receivedAt when it arrived
 */
public record RecordedRequest(
    String model, String method, String path, JsonObject body, Instant receivedAt) {

  /** {@code generationConfig}, or an empty object. */
  public JsonObject generationConfig() {
    return GeminiJson.objectOrEmpty(body, "generationConfig");
  }

  /**
   * The schema the caller asked the answer to satisfy ({@code responseJsonSchema} or the
   * OpenAPI-style {@code responseSchema}), or null.
   */
  public JsonObject responseSchema() {
    JsonObject config = generationConfig();
    if (config.has("responseJsonSchema")) {
      return config.getAsJsonObject("responseJsonSchema");
    }
    return config.has("responseSchema") ? config.getAsJsonObject("responseSchema") : null;
  }

  /** The text of every text part of every content, in order, joined by newlines. */
  public String promptText() {
    List<String> texts = new ArrayList<>();
    for (JsonObject part : parts()) {
      if (part.has("text")) {
        texts.add(part.get("text").getAsString());
      }
    }
    return String.join("\n", texts);
  }

  /** The inline media of every content ({@code inlineData} parts), in order. */
  public List<Media> inlineMedia() {
    List<Media> media = new ArrayList<>();
    for (JsonObject part : parts()) {
      if (part.has("inlineData")) {
        JsonObject inline = part.getAsJsonObject("inlineData");
        media.add(
            new Media(
                inline.get("mimeType").getAsString(),
                Base64.getDecoder().decode(inline.get("data").getAsString())));
      }
    }
    return media;
  }

  /** The system instruction's text, or an empty string. */
  public String systemInstruction() {
    StringBuilder text = new StringBuilder();
    for (JsonElement part :
        GeminiJson.arrayOrEmpty(GeminiJson.objectOrEmpty(body, "systemInstruction"), "parts")) {
      if (part.getAsJsonObject().has("text")) {
        text.append(part.getAsJsonObject().get("text").getAsString());
      }
    }
    return text.toString();
  }

  /** The parts of the user contents ({@code contents[]}), or of embed requests' contents. */
  List<JsonObject> parts() {
    List<JsonObject> parts = new ArrayList<>();
    for (JsonElement content : GeminiJson.arrayOrEmpty(body, "contents")) {
      for (JsonElement part : GeminiJson.arrayOrEmpty(content.getAsJsonObject(), "parts")) {
        parts.add(part.getAsJsonObject());
      }
    }
    return parts;
  }

  /** Bytes the caller sent inline. */
  public record Media(String mimeType, byte[] data) {}
}
