package dev.mise.common.models;

import com.google.genai.types.Blob;
import com.google.genai.types.Candidate;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the SDK's responses into {@link ModelReply}s, refusing blocked ones. */
final class GeminiReplies {

  /** Finish reasons that mean a filter stopped the answer, not the model. */
  private static final Set<String> BLOCKING_FINISH_REASONS =
      Set.of(
          "SAFETY",
          "RECITATION",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT",
          "IMAGE_RECITATION");

  private static final Pattern PCM_RATE = Pattern.compile("rate=(\\d+)");

  private GeminiReplies() {}

  /**
   * The reply in {@code response}: the text of its first candidate's non-thought parts, its inline
   * media, its finish reason (null while a stream is still running) and token counts.
   *
   * @throws ModelException BLOCKED when the prompt or the candidate was blocked
   */
  static ModelReply reply(GenerateContentResponse response) {
    response
        .promptFeedback()
        .flatMap(feedback -> feedback.blockReason())
        .ifPresent(
            reason -> {
              throw new ModelException(
                  ModelException.Kind.BLOCKED, "Prompt blocked: " + reason, null);
            });
    List<Candidate> candidates = response.candidates().orElse(List.of());
    StringBuilder text = new StringBuilder();
    List<ModelReply.Media> media = new ArrayList<>();
    String finishReason = null;
    if (!candidates.isEmpty()) {
      Candidate candidate = candidates.get(0);
      finishReason = candidate.finishReason().map(Object::toString).orElse(null);
      if (finishReason != null && BLOCKING_FINISH_REASONS.contains(finishReason)) {
        throw new ModelException(
            ModelException.Kind.BLOCKED, "Answer blocked: finish reason " + finishReason, null);
      }
      for (Part part : candidate.content().flatMap(c -> c.parts()).orElse(List.of())) {
        if (part.thought().orElse(false)) {
          continue;
        }
        part.text().ifPresent(text::append);
        part.inlineData().flatMap(GeminiReplies::media).ifPresent(media::add);
      }
    }
    GenerateContentResponseUsageMetadata usage = response.usageMetadata().orElse(null);
    return new ModelReply(
        text.toString(),
        media,
        finishReason,
        usage == null ? 0 : usage.promptTokenCount().orElse(0),
        usage == null ? 0 : usage.candidatesTokenCount().orElse(0));
  }

  /** The chunks of a stream as one reply. */
  static ModelReply join(List<ModelReply> chunks) {
    StringBuilder text = new StringBuilder();
    List<ModelReply.Media> media = new ArrayList<>();
    String finishReason = null;
    int inputTokens = 0;
    int outputTokens = 0;
    for (ModelReply chunk : chunks) {
      text.append(chunk.text());
      media.addAll(chunk.media());
      finishReason = chunk.finishReason() == null ? finishReason : chunk.finishReason();
      // Each chunk carries the running totals, so the last non-zero counts are the call's.
      inputTokens = chunk.inputTokens() == 0 ? inputTokens : chunk.inputTokens();
      outputTokens = chunk.outputTokens() == 0 ? outputTokens : chunk.outputTokens();
    }
    return new ModelReply(text.toString(), media, finishReason, inputTokens, outputTokens);
  }

  private static Optional<ModelReply.Media> media(Blob blob) {
    if (blob.data().isEmpty()) {
      return Optional.empty();
    }
    String mimeType = blob.mimeType().orElse("application/octet-stream");
    byte[] data = blob.data().get();
    String lower = mimeType.toLowerCase(Locale.ROOT);
    if (lower.startsWith("audio/l16") || lower.startsWith("audio/pcm")) {
      // Gemini speech is raw 16-bit PCM; a WAV header makes it a file FFmpeg and players read.
      Matcher rate = PCM_RATE.matcher(lower);
      return Optional.of(
          new ModelReply.Media(
              "audio/wav", wav(data, rate.find() ? Integer.parseInt(rate.group(1)) : 24_000)));
    }
    return Optional.of(new ModelReply.Media(mimeType, data));
  }

  /** 16-bit little-endian mono PCM in a RIFF/WAVE container. */
  static byte[] wav(byte[] pcm, int sampleRate) {
    ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length);
    wav.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    wav.putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2);
    wav.putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
    return wav.array();
  }
}
