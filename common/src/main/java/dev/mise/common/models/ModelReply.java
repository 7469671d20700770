package dev.mise.common.models;

import java.util.List;

/**
 * A model's answer: its text (JSON when a schema was given), any inline media it produced, why it
 * stopped, and token counts.
 */
public record ModelReply(
    String text, List<Media> media, String finishReason, int inputTokens, int outputTokens) {

  public ModelReply {
    text = text == null ? "" : text;
    media = media == null ? List.of() : List.copyOf(media);
  }

  /** Inline bytes the model returned, e.g. a generated PNG or WAV. */
  public record Media(String mimeType, byte[] data) {}
}
