package dev.mise.common.models;

import dev.mise.common.config.ConfigException;
import dev.mise.common.config.Env;
import java.time.Duration;

/**
 * How {@link GeminiModels} reaches Gemini: either the Gemini Developer API with an API key
 * (optionally at another base URL, such as the local stand-in), or Vertex AI with a project and
 * location and the runtime's service account. Also the budget of every call: its timeout (all
 * attempts included) and how many attempts the SDK makes.
 *
 * <p>From the environment: {@code GOOGLE_API_KEY} or {@code GEMINI_API_KEY}; {@code
 * GOOGLE_GEMINI_BASE_URL}; {@code GOOGLE_GENAI_USE_VERTEXAI=true} with {@code GOOGLE_CLOUD_PROJECT}
 * and {@code GOOGLE_CLOUD_LOCATION} (default {@code global}); {@code MODEL_TIMEOUT} (default {@code
 * 60s}); {@code MODEL_RETRY_ATTEMPTS} (default 2, i.e. one retry; 1 means no retry).
 *
 * @param apiKey the Gemini API key, or null in Vertex mode
 * @param baseUrl another API origin (e.g. {@code http://127.0.0.1:PORT}), or null for Google's
 * @param vertexAi true for Vertex AI
 * @param project the Vertex AI project, or null
 * @param location the Vertex AI location, or null
 * @param timeout the default deadline of one call
 * @param retryAttempts attempts per call, the first included (at least 1)
 */
public record GeminiSettings(
    String apiKey,
    String baseUrl,
    boolean vertexAi,
    String project,
    String location,
    Duration timeout,
    int retryAttempts) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_RETRY_ATTEMPTS = 2;

  public GeminiSettings {
    if (vertexAi && (project == null || location == null)) {
      throw new ConfigException(
          "GOOGLE_CLOUD_PROJECT", "is required with GOOGLE_GENAI_USE_VERTEXAI");
    }
    if (!vertexAi && apiKey == null) {
      throw new ConfigException("GOOGLE_API_KEY", "(or GEMINI_API_KEY) is required but not set");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException("MODEL_TIMEOUT", "must be positive, was " + timeout);
    }
    if (retryAttempts < 1) {
      throw new ConfigException("MODEL_RETRY_ATTEMPTS", "must be at least 1, was " + retryAttempts);
    }
  }

  /** The Gemini Developer API at {@code baseUrl} (null: Google's) with the default budget. */
  public static GeminiSettings apiKey(String apiKey, String baseUrl) {
    return new GeminiSettings(
        apiKey, baseUrl, false, null, null, DEFAULT_TIMEOUT, DEFAULT_RETRY_ATTEMPTS);
  }

  public static GeminiSettings from(Env env) {
    boolean vertex = env.getBoolean("GOOGLE_GENAI_USE_VERTEXAI", false);
    return new GeminiSettings(
        vertex
            ? null
            : env.optional("GOOGLE_API_KEY").or(() -> env.optional("GEMINI_API_KEY")).orElse(null),
        env.optional("GOOGLE_GEMINI_BASE_URL").orElse(null),
        vertex,
        vertex ? env.projectId() : null,
        vertex ? env.get("GOOGLE_CLOUD_LOCATION", "global") : null,
        env.getDuration("MODEL_TIMEOUT", DEFAULT_TIMEOUT),
        env.getInt("MODEL_RETRY_ATTEMPTS", DEFAULT_RETRY_ATTEMPTS));
  }

  /** The same settings with another call budget. */
  public GeminiSettings withBudget(Duration callTimeout, int attempts) {
    return new GeminiSettings(apiKey, baseUrl, vertexAi, project, location, callTimeout, attempts);
  }
}
