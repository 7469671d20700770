package dev.mise.scan;

import static dev.mise.common.testing.ScriptedModels.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.testing.ScriptedModels;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact cache (same photo, language and filters) and the near-duplicate cache. */
class ScanCacheTest {

  private static final BufferedImage DINER = MenuPictures.render(MenuPictures.menus().get(2), 3);
  private static final BufferedImage OTHER_DINER =
      MenuPictures.render(MenuPictures.menus().get(3), 4);
  private static final byte[] PHOTO = MenuPictures.jpeg(DINER, 0.85f);

  private final ScanHarness harness = new ScanHarness();

  private static List<String> urls(SseTranscript stream) {
    return stream.named("image_update").stream()
        .map(e -> e.json().get("imageUrl").getAsString())
        .sorted()
        .toList();
  }

  @Test
  void theSamePhotoAgainReplaysTheWholeStreamWithoutAModelCall() {
    harness.answerEveryScan();
    SseTranscript first = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));
    int callsAfterFirst = harness.scripted.requests().size();

    SseTranscript second = harness.stream(ScanHarness.jsonScan("bob", PHOTO, ""));

    assertEquals(callsAfterFirst, harness.scripted.requests().size(), "no model call at all");
    assertEquals(first.names(), second.names());
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), second.ids());
    JsonObject done = second.first("done").json();
    assertTrue(done.get("cached").getAsBoolean());
    assertEquals(0, done.getAsJsonObject("timings").get("vlm_ms").getAsLong());
    String firstSession = first.first("status").json().get("sessionId").getAsString();
    String secondSession = second.first("status").json().get("sessionId").getAsString();
    assertNotEquals(firstSession, secondSession, "a new session of its own");
    assertEquals(urls(first), urls(second), "the pictures of the first scan");
    JsonObject firstMenu = first.first("menu_data").json();
    JsonObject secondMenu = second.first("menu_data").json();
    assertEquals(firstMenu.get("items"), secondMenu.get("items"));
    assertEquals(secondSession, secondMenu.get("sessionId").getAsString());
    assertEquals(firstSession, harness.session(secondSession).get("reusedFrom"));
    Object expiry = harness.session(firstSession).get("expireAt");
    assertEquals(
        harness
            .clock
            .instant()
            .plus(java.time.Duration.ofDays(30))
            .truncatedTo(java.time.temporal.ChronoUnit.MICROS),
        expiry,
        "kept 30 days");
    assertEquals(
        expiry, harness.session(secondSession).get("expireAt"), "no longer than its source");
    assertEquals(
        expiry, harness.store.get("scanNearCache", firstSession).orElseThrow().get("expireAt"));
    assertEquals(
        "exact",
        harness.logLines().stream()
            .filter(
                l ->
                    secondSession.equals(
                            l.has("session_id") ? l.get("session_id").getAsString() : null)
                        && l.get("message").getAsString().startsWith("scan "))
            .findFirst()
            .orElseThrow()
            .get("cache")
            .getAsString());
  }

  @Test
  void anotherLanguageOrFilterIsAnotherScan() {
    harness.answerEveryScan();
    harness.stream(ScanHarness.jsonScan("alice", PHOTO, ",\"targetLanguage\":\"en\""));
    int calls = harness.scripted.requests().size();

    SseTranscript french =
        harness.stream(ScanHarness.jsonScan("alice", PHOTO, ",\"targetLanguage\":\"fr\""));
    SseTranscript vegetarian =
        harness.stream(
            ScanHarness.jsonScan(
                "alice", PHOTO, ",\"targetLanguage\":\"en\",\"dietary\":[\"vegetarian\"]"));

    assertFalse(french.first("done").json().get("cached").getAsBoolean());
    assertFalse(vegetarian.first("done").json().get("cached").getAsBoolean());
    assertEquals(calls * 3, harness.scripted.requests().size());
  }

  @Test
  void aFailedPictureIsGeneratedAgainByTheNextScanOfThePhoto() {
    harness.scripted.when(ScanHarness::isVision, text(Menus.answer().toString()));
    harness.scripted.when(
        r -> r.wantImage() && ScanStreamTest.prompt(r).contains("Aubergine"),
        ScriptedModels.failure(ModelException.Kind.UNAVAILABLE));
    harness.answerEveryScan();
    harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));
    int visionCalls =
        (int) harness.scripted.requests().stream().filter(ScanHarness::isVision).count();
    long images = harness.imageCalls();

    SseTranscript again = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));

    assertEquals(
        visionCalls,
        harness.scripted.requests().stream().filter(ScanHarness::isVision).count(),
        "the menu is reused");
    assertEquals(images + 1, harness.imageCalls(), "only the missing picture");
    assertTrue(
        again.named("image_update").stream()
            .allMatch(e -> e.json().get("imageStatus").getAsString().equals("ready")));
    assertFalse(again.first("done").json().get("cached").getAsBoolean(), "a model was called");
  }

  @Test
  void aSecondPhotoOfTheSameMenuIsANearDuplicate() {
    harness.answerEveryScan();
    SseTranscript first = harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));
    long images = harness.imageCalls();
    byte[] again =
        MenuPictures.jpeg(MenuPictures.resized(MenuPictures.rotated(DINER, -2), 0.8), 0.7f);

    SseTranscript second = harness.stream(ScanHarness.jsonScan("bob", again, ""));

    assertEquals(images, harness.imageCalls(), "no picture generated");
    assertTrue(second.first("done").json().get("cached").getAsBoolean());
    assertEquals(urls(first), urls(second));
    assertEquals(
        first.first("menu_data").json().get("items"),
        second.first("menu_data").json().get("items"));
    String secondSession = second.first("status").json().get("sessionId").getAsString();
    assertEquals(
        "near",
        harness.logLines().stream()
            .filter(
                l ->
                    l.has("session_id")
                        && l.get("session_id").getAsString().equals(secondSession)
                        && l.get("message").getAsString().startsWith("scan "))
            .findFirst()
            .orElseThrow()
            .get("cache")
            .getAsString());
  }

  @Test
  void anotherMenuInTheSameLayoutIsNotANearDuplicate() {
    harness.answerEveryScan();
    harness.stream(ScanHarness.jsonScan("alice", PHOTO, ""));
    long images = harness.imageCalls();

    SseTranscript other =
        harness.stream(ScanHarness.jsonScan("alice", MenuPictures.jpeg(OTHER_DINER, 0.85f), ""));

    assertFalse(other.first("done").json().get("cached").getAsBoolean());
    assertEquals(images + 3, harness.imageCalls());
  }

  @Test
  void webpAndHeicPhotosUseTheExactCacheOnly() {
    harness.answerEveryScan();
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 a lossy menu photo".getBytes(StandardCharsets.ISO_8859_1);
    harness.stream(ScanHarness.jsonScan("alice", webp, ""));
    int calls = harness.scripted.requests().size();

    SseTranscript again = harness.stream(ScanHarness.jsonScan("alice", webp, ""));

    assertTrue(again.first("done").json().get("cached").getAsBoolean());
    assertEquals(calls, harness.scripted.requests().size());
    assertTrue(
        harness.store.paths().stream().noneMatch(p -> p.startsWith("scanNearCache/")),
        "no fingerprint");
    ModelRequest vision = harness.scripted.requests().get(0);
    assertTrue(
        vision.parts().get(0) instanceof ModelRequest.Part.Inline inline
            && inline.mimeType().equals("image/webp"));
  }

  @Test
  void aFreshScanIsFingerprintedUnderItsFilters() {
    harness.answerEveryScan();
    SseTranscript stream =
        harness.stream(
            ScanHarness.jsonScan(
                "alice",
                PHOTO,
                ",\"targetLanguage\":\"en\",\"dietary\":[\"vegetarian\",\"nut_free\"]"));
    String sessionId = stream.first("status").json().get("sessionId").getAsString();

    Map<String, Object> near = harness.store.get("scanNearCache", sessionId).orElseThrow();

    assertEquals("en|nut_free,vegetarian", near.get("filter"));
    assertEquals(1024, ((byte[]) near.get("grid")).length);
    for (int band = 0; band < 8; band++) {
      assertTrue(
          ((String) near.get("b" + band)).startsWith("en|nut_free,vegetarian|" + band + ":"));
    }
  }
}
