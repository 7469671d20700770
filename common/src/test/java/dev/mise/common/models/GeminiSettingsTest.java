package dev.mise.common.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.config.ConfigException;
import dev.mise.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiSettingsTest {

  @Test
  void apiKeyModeWithDefaultsAndTheStandInBaseUrl() {
    GeminiSettings settings =
        GeminiSettings.from(
            new Env(Map.of("GEMINI_API_KEY", "k", "GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:9")));

    assertEquals("k", settings.apiKey());
    assertEquals("http://127.0.0.1:9", settings.baseUrl());
    assertEquals(Duration.ofSeconds(60), settings.timeout());
    assertEquals(2, settings.retryAttempts());
  }

  @Test
  void vertexModeNeedsAProjectAndDefaultsTheLocation() {
    GeminiSettings settings =
        GeminiSettings.from(
            new Env(
                Map.of(
                    "GOOGLE_GENAI_USE_VERTEXAI", "true",
                    "GOOGLE_CLOUD_PROJECT", "p",
                    "MODEL_TIMEOUT", "20s",
                    "MODEL_RETRY_ATTEMPTS", "1")));

    assertTrue(settings.vertexAi());
    assertEquals("global", settings.location());
    assertEquals(Duration.ofSeconds(20), settings.timeout());
    assertEquals(1, settings.retryAttempts());
  }

  @Test
  void missingKeyOrBadBudgetNamesTheVariable() {
    assertEquals(
        "GOOGLE_API_KEY",
        assertThrows(ConfigException.class, () -> GeminiSettings.from(new Env(Map.of())))
            .variable());
    assertEquals(
        "MODEL_RETRY_ATTEMPTS",
        assertThrows(
                ConfigException.class,
                () ->
                    GeminiSettings.from(
                        new Env(Map.of("GOOGLE_API_KEY", "k", "MODEL_RETRY_ATTEMPTS", "0"))))
            .variable());
  }
}
