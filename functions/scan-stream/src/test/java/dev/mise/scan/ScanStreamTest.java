package dev.mise.scan;

import static dev.mise.common.testing.ScriptedModels.failure;
import static dev.mise.common.testing.ScriptedModels.media;
import static dev.mise.common.testing.ScriptedModels.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import dev.mise.common.testing.MultipartBody;
import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The stream of POST /api/v1/scan/stream over in-memory ports and scripted models. */
class ScanStreamTest {

  static final byte[] PHOTO =
      MenuPictures.jpeg(MenuPictures.render(MenuPictures.menus().get(2), 7), 0.85f);
  static final byte[] PNG = Menus.picture(Color.ORANGE);

  private final ScanHarness harness = new ScanHarness();

  private static boolean isImage(ModelRequest request) {
    return request.wantImage();
  }

  private void scriptHappyScan() {
    harness.scripted.when(ScanHarness::isVision, text(Menus.answer().toString()));
    harness.scripted.when(
        ScanStreamTest::isImage,
        media("image/png", PNG),
        media("image/png", PNG),
        media("image/png", PNG));
  }

  @Test
  void streamsStatusMenuThreePicturesAndDone() {
    scriptHappyScan();
    FakeHttpResponse response =
        harness.post(ScanHarness.jsonScan("alice", PHOTO, ",\"targetLanguage\":\"en\""));

    assertEquals(200, response.status());
    assertEquals("text/event-stream; charset=utf-8", response.getContentType().orElseThrow());
    assertEquals("no-cache, no-transform", response.header("Cache-Control").orElseThrow());
    assertEquals("no", response.header("X-Accel-Buffering").orElseThrow());
    assertTrue(response.bodyText().startsWith("retry: 3000\n\n"), "retry comes first");
    SseTranscript stream = SseTranscript.parse(response.bodyText());
    assertEquals(
        List.of("status", "menu_data", "image_update", "image_update", "image_update", "done"),
        stream.names());
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), stream.ids());

    JsonObject status = stream.first("status").json();
    String sessionId = status.get("sessionId").getAsString();
    assertEquals("analyzing", status.get("stage").getAsString());

    JsonObject menu = stream.first("menu_data").json();
    assertEquals(sessionId, menu.get("sessionId").getAsString());
    assertEquals("it", menu.get("sourceLanguage").getAsString());
    assertEquals("EUR", menu.get("currency").getAsString());
    JsonArray items = menu.getAsJsonArray("items");
    assertEquals(5, items.size());
    JsonObject first = items.get(0).getAsJsonObject();
    assertEquals("item-1", first.get("id").getAsString());
    assertEquals("Mushroom risotto", first.get("translatedName").getAsString());
    assertEquals(16.0, first.get("price").getAsDouble());
    assertEquals(1, first.get("recommended").getAsInt());
    assertEquals("pending", first.get("imageStatus").getAsString());
    assertTrue(first.get("imageUrl").isJsonNull());
    assertEquals("none", items.get(4).getAsJsonObject().get("imageStatus").getAsString());
    assertTrue(items.get(4).getAsJsonObject().get("recommended").isJsonNull());
    assertTrue(menu.getAsJsonObject("timings").has("vlm_ms"));

    Set<String> pictured =
        stream.named("image_update").stream()
            .map(e -> e.json().get("itemId").getAsString())
            .collect(Collectors.toSet());
    assertEquals(Set.of("item-1", "item-2", "item-3"), pictured);
    for (SseTranscript.Event update : stream.named("image_update")) {
      JsonObject data = update.json();
      String itemId = data.get("itemId").getAsString();
      String key = "gen/" + sessionId + "/" + itemId + ".jpg";
      assertEquals("ready", data.get("imageStatus").getAsString());
      assertEquals(ScanHarness.EDGE + "/assets/" + key, data.get("imageUrl").getAsString());
      assertTrue(data.has("image_gen_ms"));
      byte[] stored = harness.blobs.get(key).orElseThrow().data();
      assertEquals("image/jpeg", harness.blobs.get(key).orElseThrow().contentType());
      assertArrayEquals(
          new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
          Arrays.copyOf(stored, 3),
          "PNG became JPEG");
    }

    JsonObject done = stream.first("done").json();
    assertEquals(sessionId, done.get("sessionId").getAsString());
    assertFalse(done.get("cached").getAsBoolean());
    JsonObject timings = done.getAsJsonObject("timings");
    assertTrue(timings.has("vlm_ms") && timings.has("image_gen_ms") && timings.has("total_ms"));

    List<ModelRequest> calls = harness.scripted.requests();
    assertEquals(4, calls.size(), "one vision call, three pictures");
    ModelRequest vision = calls.get(0);
    assertEquals("gemini-2.5-flash", vision.model());
    assertTrue(
        vision.parts().get(0) instanceof ModelRequest.Part.Inline inline
            && inline.mimeType().equals("image/jpeg"));
    assertTrue(vision.timeout() != null, "every model call has a deadline");
    assertTrue(
        calls.stream()
            .filter(ScanStreamTest::isImage)
            .allMatch(r -> r.model().equals("gemini-2.5-flash-image") && r.timeout() != null));

    Map<String, Object> session = harness.session(sessionId);
    assertEquals("done", session.get("status"));
    assertEquals("alice", session.get("uid"));
    assertEquals(6L, session.get("eventCount"));
    assertEquals(3, ((List<?>) session.get("images")).size());
    assertEquals(64, ((String) session.get("requestKey")).length());
  }

  @Test
  void multipartFormTakesTheSameFields() {
    scriptHappyScan();
    MultipartBody form =
        new MultipartBody()
            .file("image", "menu.jpg", "image/jpeg", PHOTO)
            .field("targetLanguage", "ja")
            .field("dietary", "vegetarian")
            .field("dietary", "nut_free");
    FakeHttpRequest request =
        FakeHttpRequest.post("/api/v1/scan/stream")
            .header("Authorization", "Bearer " + ScanHarness.token("alice"))
            .body(form.contentType(), form.build());

    SseTranscript stream = harness.stream(request);

    assertEquals("done", stream.names().get(stream.names().size() - 1));
    String instructions = harness.scripted.requests().get(0).parts().get(1).toString();
    assertTrue(instructions.contains("Target language: ja"), instructions);
    assertTrue(instructions.contains("nut_free, vegetarian"), instructions);
  }

  @Test
  void targetLanguageDefaultsFromAcceptLanguage() {
    scriptHappyScan();
    harness.stream(
        ScanHarness.jsonScan("alice", PHOTO, "")
            .header("Accept-Language", "xx, de-CH;q=0.9, en;q=0.5"));

    assertTrue(
        harness
            .scripted
            .requests()
            .get(0)
            .parts()
            .get(1)
            .toString()
            .contains("Target language: de-CH"));
  }

  @Test
  void picturesStreamInTheOrderTheyFinish() throws Exception {
    harness.scripted.when(ScanHarness::isVision, text(Menus.answer().toString()));
    // item-3 finishes first, then item-1, then item-2: each waits for the one before it.
    List<String> itemIds = List.of("item-3", "item-1", "item-2");
    GatedModels gated =
        new GatedModels(
            harness.scripted,
            List.of("Margherita pizza", "Mushroom risotto", "Aubergine parmigiana"),
            PNG,
            position -> harness.streamedImageUpdate(itemIds.get(position)));
    harness.build(gated);

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    List<String> order =
        stream.named("image_update").stream()
            .map(e -> e.json().get("itemId").getAsString())
            .toList();
    assertEquals(List.of("item-3", "item-1", "item-2"), order);
    assertEquals(3, gated.maxInFlight(), "the three pictures were generated at the same time");
  }

  @Test
  void oneFailedPictureDoesNotStopTheOthers() {
    harness.scripted.when(ScanHarness::isVision, text(Menus.answer().toString()));
    harness.scripted.when(
        r -> isImage(r) && prompt(r).contains("Aubergine"),
        failure(ModelException.Kind.UNAVAILABLE));
    harness.scripted.when(
        ScanStreamTest::isImage, media("image/png", PNG), media("image/png", PNG));

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    assertEquals(3, stream.named("image_update").size());
    JsonObject failed =
        stream.named("image_update").stream()
            .map(SseTranscript.Event::json)
            .filter(d -> d.get("itemId").getAsString().equals("item-2"))
            .findFirst()
            .orElseThrow();
    assertEquals("failed", failed.get("imageStatus").getAsString());
    assertEquals("model-unavailable", failed.getAsJsonObject("error").get("code").getAsString());
    assertTrue(failed.getAsJsonObject("error").has("message"));
    assertFalse(failed.has("imageUrl"));
    long ready =
        stream.named("image_update").stream()
            .filter(e -> e.json().get("imageStatus").getAsString().equals("ready"))
            .count();
    assertEquals(2, ready);
    assertEquals("done", stream.names().get(stream.names().size() - 1));
  }

  @Test
  void pictureWithoutImageBytesFails() {
    harness.scripted.when(ScanHarness::isVision, text(Menus.answer().toString()));
    harness.scripted.when(
        ScanStreamTest::isImage,
        text("I cannot draw"),
        media("image/png", PNG),
        media("image/png", PNG));

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    List<String> codes =
        stream.named("image_update").stream()
            .map(SseTranscript.Event::json)
            .filter(d -> d.has("error"))
            .map(d -> d.getAsJsonObject("error").get("code").getAsString())
            .toList();
    assertEquals(List.of("no-image"), codes);
    assertEquals("done", stream.names().get(stream.names().size() - 1));
  }

  @Test
  void visionRateLimitIsAnErrorEventWithAProblem() {
    harness.scripted.when(ScanHarness::isVision, failure(ModelException.Kind.RATE_LIMITED));

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    assertEquals(List.of("status", "error"), stream.names());
    JsonObject problem = stream.first("error").json();
    assertEquals(503, problem.get("status").getAsInt());
    assertEquals("https://mise.dev/problems/model-busy", problem.get("type").getAsString());
    assertTrue(problem.has("title") && problem.has("detail") && problem.has("instance"));
    assertEquals("2", stream.first("error").id());
    assertEquals(1, harness.scripted.requests().size(), "no picture is started");
    String sessionId = stream.first("status").json().get("sessionId").getAsString();
    assertEquals("failed", harness.session(sessionId).get("status"));
  }

  @Test
  void visionTimeoutIsAnErrorEventWithAProblem() {
    harness.scripted.when(ScanHarness::isVision, failure(ModelException.Kind.TIMEOUT));

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    assertEquals(List.of("status", "error"), stream.names());
    assertEquals(504, stream.first("error").json().get("status").getAsInt());
    assertEquals(
        "https://mise.dev/problems/model-timeout",
        stream.first("error").json().get("type").getAsString());
  }

  @Test
  void fiveRecommendedDishesAreRepairedBeforeStreaming() {
    String five =
        Menus.answer(
            m -> {
              Menus.item(m, 3).addProperty("recommended", 2);
              Menus.item(m, 4).addProperty("recommended", 3);
            });
    harness.scripted.when(ScanHarness::isVision, text(five), text(Menus.answer().toString()));
    harness.scripted.when(
        ScanStreamTest::isImage,
        media("image/png", PNG),
        media("image/png", PNG),
        media("image/png", PNG));

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    JsonArray items = stream.first("menu_data").json().getAsJsonArray("items");
    long recommended =
        items.asList().stream()
            .filter(i -> !i.getAsJsonObject().get("recommended").isJsonNull())
            .count();
    assertEquals(3, recommended, "the repaired answer is streamed, not the first");
    List<ModelRequest> vision =
        harness.scripted.requests().stream().filter(ScanHarness::isVision).toList();
    assertEquals(2, vision.size(), "one repair attempt");
    String repair = vision.get(1).parts().get(vision.get(1).parts().size() - 1).toString();
    assertTrue(repair.contains("5 dishes are recommended; at most 3 may be"), repair);
    assertTrue(repair.contains("rank 2 is given twice"), repair);
  }

  @Test
  void duplicateIdsTwiceAreRejectedNeverStreamed() {
    String duplicates = Menus.answer(m -> Menus.item(m, 4).addProperty("id", "item-1"));
    harness.scripted.when(ScanHarness::isVision, text(duplicates), text(duplicates));

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    assertEquals(List.of("status", "error"), stream.names());
    JsonObject problem = stream.first("error").json();
    assertEquals(502, problem.get("status").getAsInt());
    assertEquals(
        "https://mise.dev/problems/model-output-invalid", problem.get("type").getAsString());
    assertEquals(2, harness.scripted.requests().size());
    assertTrue(
        harness.logLines().stream()
            .anyMatch(
                l ->
                    l.get("message").getAsString().contains("invalid after repair")
                        && l.get("errors").getAsString().contains("/items/4/id")));
  }

  @Test
  void aPhotoWithoutDishesEndsWithAProblem() {
    harness.scripted.when(
        ScanHarness::isVision, text(Menus.answer(m -> m.add("items", new JsonArray()))));

    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    assertEquals(List.of("status", "error"), stream.names());
    assertEquals(422, stream.first("error").json().get("status").getAsInt());
  }

  @Test
  void recommendationsMustFitTheDietaryFilter() {
    String pork =
        Menus.answer(
            m -> {
              JsonArray tags = new JsonArray();
              tags.add("contains_pork");
              Menus.item(m, 0).add("tags", tags);
            });
    harness.scripted.when(ScanHarness::isVision, text(pork), text(Menus.answer().toString()));
    harness.scripted.when(
        ScanStreamTest::isImage,
        media("image/png", PNG),
        media("image/png", PNG),
        media("image/png", PNG));

    SseTranscript stream =
        harness.stream(
            ScanHarness.jsonScan("alice", PHOTO, ",\"dietary\":[\"vegetarian\",\"no_pork\"]"));

    assertEquals("done", stream.names().get(stream.names().size() - 1));
    ModelRequest repair = harness.scripted.requests().get(1);
    assertTrue(repair.parts().get(repair.parts().size() - 1).toString().contains("no_pork"));
  }

  @Test
  void oneStructuredLogLinePerScan() {
    scriptHappyScan();
    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));
    String sessionId = stream.first("status").json().get("sessionId").getAsString();

    List<JsonObject> lines =
        harness.logLines().stream()
            .filter(l -> l.get("message").getAsString().startsWith("scan "))
            .toList();

    assertEquals(1, lines.size());
    JsonObject line = lines.get(0);
    assertEquals("INFO", line.get("severity").getAsString());
    assertEquals(sessionId, line.get("session_id").getAsString());
    assertEquals("done", line.get("outcome").getAsString());
    assertFalse(line.get("cached").getAsBoolean());
    for (String field : List.of("vlm_ms", "image_gen_ms", "total_ms", "requestId")) {
      assertTrue(line.has(field), field);
    }
    assertEquals(4, line.get("model_calls").getAsInt());
  }

  static String prompt(ModelRequest request) {
    return request.parts().stream().map(Object::toString).collect(Collectors.joining(" "));
  }

  @Test
  void sessionRecordsEveryEventForResume() {
    scriptHappyScan();
    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));
    String sessionId = stream.first("status").json().get("sessionId").getAsString();

    List<?> events = (List<?>) harness.session(sessionId).get("events");

    assertEquals(6, events.size());
    assertEquals("menu_data", ((Map<?, ?>) events.get(1)).get("name"));
    assertEquals(stream.first("menu_data").data(), ((Map<?, ?>) events.get(1)).get("data"));
    assertNull(harness.session(sessionId).get("reusedFrom"));
  }
}
