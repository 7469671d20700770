package dev.mise.emulators.gemini;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic answers the stand-in gives when nothing is scripted: schema-valid JSON when the
 * request has a response schema, the OCR text of its images, a labelled PNG for image generation, a
 * spoken WAV for speech, hashed embeddings.
 */
final class LocalAnswers {

  static final int DEFAULT_DIMENSIONS = 768;
  private static final int IMAGE_TOKENS = 258;
  private static final int STREAM_PIECES = 3;

  private final TesseractOcr ocr;
  private final SpeechAudio speech;

  LocalAnswers(TesseractOcr ocr, SpeechAudio speech) {
    this.ocr = ocr;
    this.speech = speech;
  }

  /** A whole {@code GenerateContentResponse}. */
  JsonObject generate(RecordedRequest request) {
    List<RecordedRequest.Media> media = request.inlineMedia();
    int promptTokens =
        GeminiJson.tokens(request.systemInstruction() + request.promptText())
            + IMAGE_TOKENS * media.size();
    List<JsonObject> parts =
        switch (RequestKind.of(request)) {
          case IMAGE ->
              List.of(
                  GeminiJson.inlinePart("image/png", LabelledPicture.png(request.promptText())),
                  GeminiJson.textPart("Stand-in picture: " + request.promptText().strip()));
          case AUDIO ->
              List.of(
                  GeminiJson.inlinePart(SpeechAudio.MIME_TYPE, speech.wav(request.promptText())));
          default -> List.of(GeminiJson.textPart(text(request, media)));
        };
    return GeminiJson.response(request.model(), parts, "STOP", promptTokens);
  }

  /**
   * The same answer as {@link #generate}, cut into a few chunks as the streaming API sends them:
   * text split at spaces, the finish reason on the last chunk only.
   */
  List<JsonObject> stream(RecordedRequest request) {
    JsonObject whole = generate(request);
    JsonObject firstPart =
        whole
            .getAsJsonArray("candidates")
            .get(0)
            .getAsJsonObject()
            .getAsJsonObject("content")
            .getAsJsonArray("parts")
            .get(0)
            .getAsJsonObject();
    if (!firstPart.has("text")) {
      return List.of(whole);
    }
    List<String> pieces = split(firstPart.get("text").getAsString());
    int promptTokens = whole.getAsJsonObject("usageMetadata").get("promptTokenCount").getAsInt();
    List<JsonObject> chunks = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      String finish = i == pieces.size() - 1 ? "STOP" : null;
      chunks.add(
          GeminiJson.response(
              request.model(), List.of(GeminiJson.textPart(pieces.get(i))), finish, promptTokens));
    }
    return chunks;
  }

  /** The answer to {@code batchEmbedContents} or {@code embedContent}. */
  JsonObject embed(RecordedRequest request) {
    JsonObject body = request.body();
    JsonObject answer = new JsonObject();
    if (body.has("requests")) {
      JsonArray embeddings = new JsonArray();
      for (JsonElement each : body.getAsJsonArray("requests")) {
        embeddings.add(embedding(each.getAsJsonObject()));
      }
      answer.add("embeddings", embeddings);
    } else {
      answer.add("embedding", embedding(body));
    }
    return answer;
  }

  private String text(RecordedRequest request, List<RecordedRequest.Media> media) {
    List<String> pages = new ArrayList<>();
    for (RecordedRequest.Media image : media) {
      if (image.mimeType().startsWith("image/") || image.mimeType().equals("application/pdf")) {
        pages.add(ocr.read(image.mimeType(), image.data()));
      }
    }
    String source = pages.isEmpty() ? request.promptText() : String.join("\n\n", pages);
    JsonObject schema = request.responseSchema();
    if (schema != null) {
      return GeminiJson.GSON.toJson(new SchemaValues(schema, source).value());
    }
    if (!pages.isEmpty()) {
      return source;
    }
    String prompt = request.promptText().strip();
    return "Stand-in answer to: " + (prompt.length() > 200 ? prompt.substring(0, 200) : prompt);
  }

  private static JsonObject embedding(JsonObject request) {
    StringBuilder text = new StringBuilder();
    for (JsonElement part :
        GeminiJson.arrayOrEmpty(GeminiJson.objectOrEmpty(request, "content"), "parts")) {
      JsonObject object = part.getAsJsonObject();
      if (object.has("text")) {
        text.append(object.get("text").getAsString()).append('\n');
      } else if (object.has("inlineData")) {
        text.append(object.getAsJsonObject("inlineData").get("data").getAsString()).append('\n');
      }
    }
    int dimensions = dimensions(request);
    JsonArray values = new JsonArray();
    for (float value : HashedEmbeddings.of(text.toString(), dimensions)) {
      values.add(value);
    }
    JsonObject embedding = new JsonObject();
    embedding.add("values", values);
    return embedding;
  }

  private static int dimensions(JsonObject request) {
    for (JsonObject holder :
        List.of(request, GeminiJson.objectOrEmpty(request, "embedContentConfig"))) {
      if (holder.has("outputDimensionality")) {
        return holder.get("outputDimensionality").getAsInt();
      }
    }
    return DEFAULT_DIMENSIONS;
  }

  private static List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    int size = Math.max(1, text.length() / STREAM_PIECES);
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + size);
      int space = text.indexOf(' ', end);
      end = pieces.size() == STREAM_PIECES - 1 || space < 0 ? text.length() : space + 1;
      pieces.add(text.substring(start, end));
      start = end;
    }
    return pieces.isEmpty() ? List.of("") : pieces;
  }
}
