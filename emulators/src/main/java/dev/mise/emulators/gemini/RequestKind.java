package dev.mise.emulators.gemini;

import com.google.gson.JsonElement;
import java.util.Locale;

/**
 * The kinds of model call that take noticeably different time, so a benchmark can give each its own
 * fixed latency ({@link GeminiStandIn#setLatency}).
 */
public enum RequestKind {
  /** Text or vision in, text (or JSON) out. */
  TEXT,
  /** Image generation (response modality IMAGE). */
  IMAGE,
  /** Speech generation (response modality AUDIO). */
  AUDIO,
  /** Embeddings. */
  EMBEDDING;

  static RequestKind of(RecordedRequest request) {
    if (request.method().toLowerCase(Locale.ROOT).contains("embed")) {
      return EMBEDDING;
    }
    boolean image = false;
    boolean audio = false;
    for (JsonElement modality :
        GeminiJson.arrayOrEmpty(request.generationConfig(), "responseModalities")) {
      String name = modality.getAsString().toUpperCase(Locale.ROOT);
      image |= name.equals("IMAGE");
      audio |= name.equals("AUDIO");
    }
    return image ? IMAGE : audio ? AUDIO : TEXT;
  }
}
