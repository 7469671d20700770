package dev.mise.emulators.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.genai.Client;
import com.google.genai.errors.ClientException;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stand-in as the google-genai SDK and out-of-process tests see it. */
@Tag("emulator")
class GeminiStandInTest {

  private static final String MODEL = "gemini-2.5-flash";

  private static GeminiStandIn standIn;
  private static Client client;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    standIn = GeminiStandIn.start(0);
    client = sdkClient(standIn);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    standIn.close();
  }

  @BeforeEach
  void reset() {
    standIn.reset();
  }

  @Test
  void ocrReadsThePhotographedText() throws IOException {
    assumeTrue(new TesseractOcr("tesseract", null).installed(), "tesseract is not installed");
    byte[] menu = render("TOMATO SOUP 6.50", "GRILLED FISH 14.00");

    String text = generate(client, Part.fromText("Read this menu."), menu, null);
    String json =
        generate(
            client,
            Part.fromText("List the dishes."),
            menu,
            Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                    "items",
                    Map.of(
                        "type",
                        "array",
                        "items",
                        Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of(
                                "name", Map.of("type", "string"),
                                "price", Map.of("type", "number")))))));

    assertTrue(text.contains("TOMATO SOUP"), text);
    assertTrue(text.contains("GRILLED FISH"), text);
    JsonArray items = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("items");
    assertEquals(2, items.size(), json);
    assertEquals("TOMATO SOUP", items.get(0).getAsJsonObject().get("name").getAsString());
    assertEquals(14.0, items.get(1).getAsJsonObject().get("price").getAsDouble());
  }

  @Test
  void withoutTesseractOrEspeakThePlaceholdersAnswer() throws IOException {
    try (GeminiStandIn bare =
            GeminiStandIn.start(0, "/nonexistent/tesseract", null, "/nonexistent/espeak");
        Client bareClient = sdkClient(bare)) {

      String text = generate(bareClient, Part.fromText("Read."), render("SOUP"), null);
      GenerateContentResponse speech =
          bareClient.models.generateContent(
              "gemini-2.5-flash-preview-tts",
              "Stir gently.",
              GenerateContentConfig.builder().responseModalities("AUDIO").build());

      assertEquals(TesseractOcr.PLACEHOLDER, text);
      byte[] wav = speech.parts().get(0).inlineData().get().data().get();
      assertEquals("RIFF", new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  @Test
  void adminApiScriptsAnswersAndShowsTheRequests() throws Exception {
    HttpResponse<String> queued =
        admin(
            "POST",
            "/_stand-in/answers?model=" + MODEL,
            "[{\"error\": {\"code\": 429}}, {\"text\": \"hello\", \"times\": 2}]");
    assertEquals(204, queued.statusCode());

    ClientException refused =
        assertThrows(
            ClientException.class, () -> client.models.generateContent(MODEL, "one", null));
    String second = client.models.generateContent(MODEL, "two", null).text();
    String third = client.models.generateContent(MODEL, "three", null).text();
    String fourth = client.models.generateContent(MODEL, "four", null).text();

    assertEquals(429, refused.code());
    assertEquals("RESOURCE_EXHAUSTED", refused.status());
    assertEquals(List.of("hello", "hello"), List.of(second, third));
    assertTrue(fourth.startsWith("Stand-in answer to: four"), fourth);
    JsonArray requests =
        JsonParser.parseString(admin("GET", "/_stand-in/requests?model=" + MODEL, null).body())
            .getAsJsonObject()
            .getAsJsonArray("requests");
    assertEquals(4, requests.size());
    JsonObject first = requests.get(0).getAsJsonObject();
    assertEquals("generateContent", first.get("method").getAsString());
    assertEquals(
        "one",
        first
            .getAsJsonObject("body")
            .getAsJsonArray("contents")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("parts")
            .get(0)
            .getAsJsonObject()
            .get("text")
            .getAsString());
    assertEquals(204, admin("DELETE", "/_stand-in/requests", null).statusCode());
    assertTrue(standIn.requests().isEmpty());
  }

  @Test
  void adminRejectsMalformedAnswersWithoutQueueingAny() throws Exception {
    HttpResponse<String> refused =
        admin("POST", "/_stand-in/answers", "[{\"text\": \"ok\"}, {\"nothing\": true}]");

    assertEquals(400, refused.statusCode());
    assertTrue(
        client.models.generateContent(MODEL, "hi", null).text().startsWith("Stand-in answer"));
  }

  @Test
  void latencyDelaysEveryAnswerOfItsKind() throws Exception {
    assertEquals(204, admin("PUT", "/_stand-in/latency", "{\"text\": 300}").statusCode());

    long start = System.nanoTime();
    client.models.generateContent(MODEL, "slow", null);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    // A lower bound only: the stand-in sleeps at least this long before it answers.
    assertTrue(elapsedMillis >= 300, elapsedMillis + " ms");
  }

  @Test
  void streamIsServerSentEventsEndingWithTheFinishReason() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1beta/models/" + MODEL + ":streamGenerateContent?alt=sse",
            "{\"contents\":[{\"parts\":[{\"text\":\"one two three four five six\"}]}]}");

    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
    List<String> events = List.of(response.body().split("\r\n\r\n"));
    assertTrue(events.size() > 1);
    for (String event : events) {
      assertTrue(event.startsWith("data: {"), event);
    }
    JsonObject last = JsonParser.parseString(events.getLast().substring(6)).getAsJsonObject();
    assertEquals(
        "STOP",
        last.getAsJsonArray("candidates")
            .get(0)
            .getAsJsonObject()
            .get("finishReason")
            .getAsString());
  }

  @Test
  void errorsComeInTheApiEnvelope() throws Exception {
    HttpResponse<String> unknown = admin("GET", "/v1beta/models", null);
    HttpResponse<String> badJson = post("/v1beta/models/" + MODEL + ":generateContent", "{oops");
    HttpResponse<String> unsupported = post("/v1beta/models/" + MODEL + ":countTokens", "{}");

    assertEquals(404, unknown.statusCode());
    assertEquals("NOT_FOUND", errorStatus(unknown));
    assertEquals(400, badJson.statusCode());
    assertEquals("INVALID_ARGUMENT", errorStatus(badJson));
    assertEquals(501, unsupported.statusCode());
  }

  @Test
  void vertexPathsAndSingleEmbeddingsAreAnswered() throws Exception {
    HttpResponse<String> vertex =
        post(
            "/v1beta1/projects/demo/locations/global/publishers/google/models/"
                + MODEL
                + ":generateContent",
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
    HttpResponse<String> embedding =
        post(
            "/v1beta/models/gemini-embedding-001:embedContent",
            "{\"content\":{\"parts\":[{\"text\":\"soup\"}]},\"outputDimensionality\":16}");

    assertEquals(200, vertex.statusCode());
    assertEquals(MODEL, standIn.requests().get(0).model());
    JsonArray values =
        JsonParser.parseString(embedding.body())
            .getAsJsonObject()
            .getAsJsonObject("embedding")
            .getAsJsonArray("values");
    assertEquals(16, values.size());
  }

  private static String generate(
      Client sdk, Part prompt, byte[] png, Map<String, Object> jsonSchema) {
    GenerateContentConfig.Builder config = GenerateContentConfig.builder();
    if (jsonSchema != null) {
      config.responseMimeType("application/json").responseJsonSchema(jsonSchema);
    }
    return sdk.models
        .generateContent(
            MODEL, Content.fromParts(prompt, Part.fromBytes(png, "image/png")), config.build())
        .text();
  }

  private static Client sdkClient(GeminiStandIn target) {
    return Client.builder()
        .apiKey("test-key")
        .httpOptions(
            HttpOptions.builder()
                .baseUrl(target.baseUrl())
                .timeout(20_000)
                .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                .build())
        .build();
  }

  /** Black text on white, large and clean: what tesseract reads reliably. */
  private static byte[] render(String... lines) throws IOException {
    BufferedImage image =
        new BufferedImage(900, 80 + 90 * lines.length, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 48));
    for (int i = 0; i < lines.length; i++) {
      g.drawString(lines[i], 40, 90 + 90 * i);
    }
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return admin("POST", path, body);
  }

  private static HttpResponse<String> admin(String method, String path, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(standIn.baseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(20))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String errorStatus(HttpResponse<String> response) {
    return JsonParser.parseString(response.body())
        .getAsJsonObject()
        .getAsJsonObject("error")
        .get("status")
        .getAsString();
  }
}
