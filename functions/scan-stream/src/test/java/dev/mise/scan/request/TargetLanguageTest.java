package dev.mise.scan.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetLanguageTest {

  @Test
  void tagsAreNormalized() {
    assertEquals(Optional.of("en"), TargetLanguage.parse("en"));
    assertEquals(Optional.of("pt-BR"), TargetLanguage.parse("PT-br"));
    assertEquals(Optional.of("zh-Hant"), TargetLanguage.parse("zh-hant"));
  }

  @Test
  void unsupportedOrMalformedTagsAreRefused() {
    assertEquals(Optional.empty(), TargetLanguage.parse("tlh"));
    assertEquals(Optional.empty(), TargetLanguage.parse("en_US"));
    assertEquals(Optional.empty(), TargetLanguage.parse(""));
    assertEquals(Optional.empty(), TargetLanguage.parse("english"));
  }

  @Test
  void acceptLanguagePicksTheBestSupportedRange() {
    assertEquals("de-CH", TargetLanguage.fromAcceptLanguage("xx, de-CH;q=0.9, en;q=0.5"));
    assertEquals("fr", TargetLanguage.fromAcceptLanguage("en;q=0.2, fr"));
    assertEquals("ja", TargetLanguage.fromAcceptLanguage("tlh, ja;q=0.1"));
    assertEquals("en", TargetLanguage.fromAcceptLanguage("*"));
    assertEquals("en", TargetLanguage.fromAcceptLanguage("fr;q=0"));
    assertEquals("en", TargetLanguage.fromAcceptLanguage(null));
  }
}
