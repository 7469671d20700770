package dev.mise.common.models;

import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.ToNumberPolicy;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A {@link ModelRequest} in the two forms the adapter sends: the SDK's types for {@code
 * generateContent}, and the REST body for the event stream it reads itself. Both carry the same
 * fields: the user turn, the system instruction, {@code responseMimeType} + {@code
 * responseJsonSchema} when a schema is given, and the response modalities.
 */
final class GeminiRequests {

  // Whole numbers stay integers (minItems: 1, not 1.0) when a schema is handed to the SDK.
  private static final Gson SCHEMA_GSON =
      new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

  private GeminiRequests() {}

  static Content content(ModelRequest request) {
    List<Part> parts = new ArrayList<>();
    for (ModelRequest.Part part : request.parts()) {
      parts.add(
          switch (part) {
            case ModelRequest.Part.Text text -> Part.fromText(text.text());
            case ModelRequest.Part.Inline inline ->
                Part.fromBytes(inline.data(), inline.mimeType());
          });
    }
    return Content.builder().role("user").parts(parts).build();
  }

  static GenerateContentConfig config(ModelRequest request, HttpOptions callOptions) {
    GenerateContentConfig.Builder config = GenerateContentConfig.builder().httpOptions(callOptions);
    if (request.systemInstruction() != null) {
      config.systemInstruction(Content.fromParts(Part.fromText(request.systemInstruction())));
    }
    if (request.responseSchema() != null) {
      config
          .responseMimeType("application/json")
          .responseJsonSchema(SCHEMA_GSON.fromJson(schema(request), Map.class));
    }
    List<String> modalities = modalities(request);
    if (!modalities.isEmpty()) {
      config.responseModalities(modalities);
    }
    return config.build();
  }

  /** The REST body of {@code generateContent} / {@code streamGenerateContent}. */
  static String restBody(ModelRequest request) {
    JsonArray parts = new JsonArray();
    for (ModelRequest.Part part : request.parts()) {
      JsonObject json = new JsonObject();
      switch (part) {
        case ModelRequest.Part.Text text -> json.addProperty("text", text.text());
        case ModelRequest.Part.Inline inline -> {
          JsonObject data = new JsonObject();
          data.addProperty("mimeType", inline.mimeType());
          data.addProperty("data", Base64.getEncoder().encodeToString(inline.data()));
          json.add("inlineData", data);
        }
      }
      parts.add(json);
    }
    JsonObject body = new JsonObject();
    body.add("contents", turn(parts));
    if (request.systemInstruction() != null) {
      JsonArray system = new JsonArray();
      JsonObject text = new JsonObject();
      text.addProperty("text", request.systemInstruction());
      system.add(text);
      body.add("systemInstruction", turn(system).get(0));
    }
    JsonObject generationConfig = new JsonObject();
    if (request.responseSchema() != null) {
      generationConfig.addProperty("responseMimeType", "application/json");
      generationConfig.add("responseJsonSchema", schema(request));
    }
    List<String> modalities = modalities(request);
    if (!modalities.isEmpty()) {
      JsonArray array = new JsonArray();
      modalities.forEach(array::add);
      generationConfig.add("responseModalities", array);
    }
    if (!generationConfig.isEmpty()) {
      body.add("generationConfig", generationConfig);
    }
    return body.toString();
  }

  private static JsonArray turn(JsonArray parts) {
    JsonObject content = new JsonObject();
    content.addProperty("role", "user");
    content.add("parts", parts);
    JsonArray contents = new JsonArray();
    contents.add(content);
    return contents;
  }

  private static JsonObject schema(ModelRequest request) {
    try {
      return JsonParser.parseString(request.responseSchema()).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new ModelException(
          ModelException.Kind.INVALID_REQUEST, "responseSchema is not a JSON object", e);
    }
  }

  private static List<String> modalities(ModelRequest request) {
    List<String> modalities = new ArrayList<>();
    if (request.wantImage()) {
      modalities.add("TEXT");
      modalities.add("IMAGE");
    }
    if (request.wantAudio()) {
      modalities.add("AUDIO");
    }
    return modalities;
  }
}
