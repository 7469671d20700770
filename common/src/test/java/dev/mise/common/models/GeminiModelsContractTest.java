package dev.mise.common.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.emulators.gemini.Answer;
import dev.mise.emulators.gemini.GeminiStandIn;
import dev.mise.emulators.gemini.RecordedRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link GeminiModels} through the real google-genai SDK against the Gemini stand-in: what the SDK
 * sends, what comes back, and how failures are sorted.
 */
@Tag("emulator")
class GeminiModelsContractTest {

  private static final String MODEL = "gemini-2.5-flash";
  private static final String RECIPE_SCHEMA =
      """
      {"type": "object",
       "properties": {
         "title": {"type": "string"},
         "servings": {"type": "integer", "minimum": 1},
         "language": {"type": "string", "enum": ["en", "ja", "fr"]},
         "ingredients": {"type": "array", "minItems": 2, "items": {
           "type": "object",
           "properties": {
             "item": {"type": "string"},
             "quantity": {"type": ["number", "null"]},
             "unit": {"type": "string", "enum": ["g", "ml", "piece"]}},
           "required": ["item", "quantity", "unit"]}},
         "steps": {"type": "array", "items": {"type": "string"}}},
       "required": ["title", "servings", "language", "ingredients", "steps"]}
      """;

  private static GeminiStandIn standIn;
  private static GeminiModels models;
  private static byte[] photo;

  @BeforeAll
  static void start() throws IOException {
    standIn = GeminiStandIn.start(0);
    models =
        new GeminiModels(
            GeminiSettings.apiKey("test-key", standIn.baseUrl())
                .withBudget(Duration.ofSeconds(10), 1));
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png);
    photo = png.toByteArray();
  }

  @AfterAll
  static void stop() {
    models.close();
    standIn.close();
  }

  @BeforeEach
  void reset() {
    standIn.reset();
  }

  @Test
  void structuredOutputSatisfiesTheSchema() {
    ModelReply reply =
        models.generate(
            ModelRequest.text(MODEL, "Recipe:\nTomato soup\n2 tomatoes\n500 ml water")
                .withSchema(RECIPE_SCHEMA));

    JsonObject recipe = JsonParser.parseString(reply.text()).getAsJsonObject();
    assertTrue(recipe.get("title").getAsJsonPrimitive().isString());
    assertTrue(recipe.get("servings").getAsInt() >= 1);
    assertTrue(Set.of("en", "ja", "fr").contains(recipe.get("language").getAsString()));
    JsonArray ingredients = recipe.getAsJsonArray("ingredients");
    assertTrue(ingredients.size() >= 2);
    for (JsonElement ingredient : ingredients) {
      JsonObject each = ingredient.getAsJsonObject();
      assertTrue(each.get("item").getAsJsonPrimitive().isString());
      assertTrue(each.get("quantity").isJsonNull() || each.get("quantity").isJsonPrimitive());
      assertTrue(Set.of("g", "ml", "piece").contains(each.get("unit").getAsString()));
    }
    assertTrue(recipe.get("steps").isJsonArray());
    assertEquals("STOP", reply.finishReason());
    assertTrue(reply.inputTokens() > 0);
  }

  @Test
  void scriptedReplyComesBackVerbatimAndTheRequestIsRecorded() {
    standIn.enqueue(MODEL, Answer.text("{\"title\":\"Scripted soup\"}"));

    ModelReply reply =
        models.generate(
            ModelRequest.text(MODEL, "Extract the recipe.")
                .withInline("image/png", photo)
                .withSchema(RECIPE_SCHEMA)
                .withSystem("You read recipes."));

    assertEquals("{\"title\":\"Scripted soup\"}", reply.text());
    RecordedRequest sent = single();
    assertEquals(MODEL, sent.model());
    assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", sent.path());
    assertEquals("application/json", sent.generationConfig().get("responseMimeType").getAsString());
    assertEquals(JsonParser.parseString(RECIPE_SCHEMA), sent.responseSchema());
    assertEquals("You read recipes.", sent.systemInstruction());
    assertEquals("Extract the recipe.", sent.promptText());
    List<RecordedRequest.Media> media = sent.inlineMedia();
    assertEquals(1, media.size());
    assertEquals("image/png", media.get(0).mimeType());
    assertArrayEquals(photo, media.get(0).data());
  }

  @Test
  void streamedChunksArriveInOrderAndJoin() {
    standIn.enqueue(Answer.streamText(Duration.ofMillis(20), "Chop ", "the ", "onions."));
    List<String> chunks = new ArrayList<>();

    ModelReply joined =
        models.stream(ModelRequest.text(MODEL, "Step one?"), c -> chunks.add(c.text()));

    assertEquals(List.of("Chop ", "the ", "onions."), chunks);
    assertEquals("Chop the onions.", joined.text());
    assertEquals("STOP", joined.finishReason());
    assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", single().path());
  }

  @Test
  void streamHandsEachChunkOverBeforeTheNextIsSent() {
    // The second event is held back far longer than the test runs. The first chunk must reach
    // the consumer anyway (the SDK's own iterator would wait for the second); the consumer then
    // stops the stream by throwing, which must reach the caller unchanged.
    standIn.enqueue(
        new Answer.Stream(
            List.of(chunk(Duration.ZERO, "first"), chunk(Duration.ofSeconds(60), "never sent"))));
    IllegalStateException stop = new IllegalStateException("seen enough");
    List<String> seen = new ArrayList<>();

    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                models.stream(
                    ModelRequest.text(MODEL, "Go"),
                    chunk -> {
                      seen.add(chunk.text());
                      throw stop;
                    }));

    assertSame(stop, thrown);
    assertEquals(List.of("first"), seen);
  }

  @Test
  void localStreamJoinsToTheUnaryAnswer() {
    ModelRequest request = ModelRequest.text(MODEL, "Tell me about miso soup and dashi");
    List<ModelReply> chunks = new ArrayList<>();

    ModelReply streamed = models.stream(request, chunks::add);

    assertTrue(chunks.size() > 1);
    assertEquals(models.generate(request).text(), streamed.text());
  }

  @Test
  void embeddingsHaveTheDimensionAndAreStable() {
    List<float[]> vectors =
        models.embed(
            "gemini-embedding-001", List.of("tomato soup", "tomato soup", "grilled fish"), 256);

    assertEquals(3, vectors.size());
    vectors.forEach(v -> assertEquals(256, v.length));
    assertArrayEquals(vectors.get(0), vectors.get(1));
    assertFalse(Arrays.equals(vectors.get(0), vectors.get(2)));
    assertArrayEquals(
        vectors.get(0), models.embed("gemini-embedding-001", List.of("tomato soup"), 256).get(0));
    double norm = 0;
    for (float value : vectors.get(0)) {
      norm += value * value;
    }
    assertEquals(1.0, norm, 1e-4);
    RecordedRequest first = standIn.requests().get(0);
    assertEquals("batchEmbedContents", first.method());
    JsonObject embedRequest = first.body().getAsJsonArray("requests").get(0).getAsJsonObject();
    assertEquals(256, embedRequest.get("outputDimensionality").getAsInt());
  }

  @Test
  void imageGenerationReturnsPngBytes() {
    ModelReply reply =
        models.generate(ModelRequest.image("gemini-2.5-flash-image", "Tomato soup in a bowl"));

    assertEquals(1, reply.media().size());
    ModelReply.Media image = reply.media().get(0);
    assertEquals("image/png", image.mimeType());
    assertArrayEquals(
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
        Arrays.copyOf(image.data(), 8));
    JsonArray modalities = single().generationConfig().getAsJsonArray("responseModalities");
    assertEquals(
        List.of("TEXT", "IMAGE"),
        modalities.asList().stream().map(JsonElement::getAsString).toList());
  }

  @Test
  void speechReturnsWav() {
    ModelRequest speech = ModelRequest.speech("gemini-2.5-flash-preview-tts", "Stir gently.");

    ModelReply.Media audio = models.generate(speech).media().get(0);

    assertEquals("audio/wav", audio.mimeType());
    assertEquals(
        "RIFF", new String(audio.data(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void rateLimitSurfacesAfterExactlyTheConfiguredAttempts() {
    standIn.enqueue(Answer.rateLimited());

    ModelException error =
        assertThrows(ModelException.class, () -> models.generate(ModelRequest.text(MODEL, "Hi")));

    assertEquals(ModelException.Kind.RATE_LIMITED, error.kind());
    assertTrue(error.kind().transientFailure());
    assertEquals(1, standIn.requests().size());
  }

  @Test
  void secondAttemptIsMadeWhenTwoAreAllowed() {
    standIn.enqueue(Answer.unavailable());
    try (GeminiModels retrying =
        new GeminiModels(
            GeminiSettings.apiKey("test-key", standIn.baseUrl())
                .withBudget(Duration.ofSeconds(10), 2))) {

      ModelReply reply = retrying.generate(ModelRequest.text(MODEL, "Hi"));

      assertFalse(reply.text().isEmpty());
      assertEquals(2, standIn.requests().size());
    }
  }

  @Test
  void streamRateLimitIsSortedToo() {
    standIn.enqueue(Answer.rateLimited());

    ModelException error =
        assertThrows(
            ModelException.class, () -> models.stream(ModelRequest.text(MODEL, "Hi"), chunk -> {}));

    assertEquals(ModelException.Kind.RATE_LIMITED, error.kind());
    assertEquals(1, standIn.requests().size());
  }

  @Test
  void slowAnswerTimesOut() {
    standIn.enqueue(Answer.delayed(Duration.ofSeconds(30)));

    ModelException error =
        assertThrows(
            ModelException.class,
            () ->
                models.generate(
                    ModelRequest.text(MODEL, "Hi").withTimeout(Duration.ofMillis(300))));

    assertEquals(ModelException.Kind.TIMEOUT, error.kind());
  }

  @Test
  void serverErrorsAreUnavailableAndBadRequestsAreNot() {
    standIn.enqueue(Answer.internalError());
    standIn.enqueue(Answer.error(400, "Invalid JSON schema."));

    ModelException internal =
        assertThrows(ModelException.class, () -> models.generate(ModelRequest.text(MODEL, "a")));
    ModelException invalid =
        assertThrows(ModelException.class, () -> models.generate(ModelRequest.text(MODEL, "b")));

    assertEquals(ModelException.Kind.UNAVAILABLE, internal.kind());
    assertEquals(ModelException.Kind.INVALID_REQUEST, invalid.kind());
    assertFalse(invalid.kind().transientFailure());
  }

  @Test
  void blockedAnswersAndPromptsAreBlocked() {
    standIn.enqueue(Answer.blocked());
    standIn.enqueue(Answer.body("{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}"));

    for (String prompt : List.of("first", "second")) {
      ModelException error =
          assertThrows(
              ModelException.class, () -> models.generate(ModelRequest.text(MODEL, prompt)));
      assertEquals(ModelException.Kind.BLOCKED, error.kind());
    }
  }

  @Test
  void malformedSchemaIsRefusedBeforeAnyCall() {
    ModelException error =
        assertThrows(
            ModelException.class,
            () -> models.generate(ModelRequest.text(MODEL, "Hi").withSchema("[not an object")));

    assertEquals(ModelException.Kind.INVALID_REQUEST, error.kind());
    assertTrue(standIn.requests().isEmpty());
  }

  private static RecordedRequest single() {
    List<RecordedRequest> requests = standIn.requests();
    assertEquals(1, requests.size());
    return requests.get(0);
  }

  private static Answer.Chunk chunk(Duration delay, String text) {
    JsonObject part = new JsonObject();
    part.addProperty("text", text);
    String json =
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
            + part
            + "]},\"index\":0}]}";
    return new Answer.Chunk(delay, json);
  }
}
