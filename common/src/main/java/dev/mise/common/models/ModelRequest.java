package dev.mise.common.models;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One request to a model.
 *
 * @param model model id, e.g. {@code gemini-2.5-flash}
 * @param systemInstruction system instruction, or null
 * @param parts the user turn: text and inline media, in order
 * @param responseSchema JSON Schema (as a JSON string) the answer must satisfy, or null for free
 *     text
 * @param wantImage true to ask for an image in the answer (response modalities TEXT and IMAGE)
 * @param wantAudio true to ask for audio (response modality AUDIO)
 * @param timeout the call's deadline, or null for the adapter's default
 */
public record ModelRequest(
    String model,
    String systemInstruction,
    List<Part> parts,
    String responseSchema,
    boolean wantImage,
    boolean wantAudio,
    Duration timeout) {

  public ModelRequest {
    Objects.requireNonNull(model, "model");
    parts = List.copyOf(parts);
  }

  /** A text-only request with free-text output. */
  public static ModelRequest text(String model, String prompt) {
    return new ModelRequest(model, null, List.of(new Part.Text(prompt)), null, false, false, null);
  }

  /** A request for a generated image (response modalities TEXT and IMAGE). */
  public static ModelRequest image(String model, String prompt) {
    return new ModelRequest(model, null, List.of(new Part.Text(prompt)), null, true, false, null);
  }

  /** A request for speech (response modality AUDIO): the reply's media is a WAV. */
  public static ModelRequest speech(String model, String text) {
    return new ModelRequest(model, null, List.of(new Part.Text(text)), null, false, true, null);
  }

  /** The same request with inline bytes (an image, a PDF, audio) appended to the user turn. */
  public ModelRequest withInline(String mimeType, byte[] data) {
    List<Part> more = new java.util.ArrayList<>(parts);
    more.add(new Part.Inline(mimeType, data));
    return new ModelRequest(
        model, systemInstruction, more, responseSchema, wantImage, wantAudio, timeout);
  }

  /** The same request, asking for JSON matching the schema. */
  public ModelRequest withSchema(String jsonSchema) {
    return new ModelRequest(
        model, systemInstruction, parts, jsonSchema, wantImage, wantAudio, timeout);
  }

  /** The same request with a system instruction. */
  public ModelRequest withSystem(String instruction) {
    return new ModelRequest(
        model, instruction, parts, responseSchema, wantImage, wantAudio, timeout);
  }

  /** The same request with a deadline. */
  public ModelRequest withTimeout(Duration deadline) {
    return new ModelRequest(
        model, systemInstruction, parts, responseSchema, wantImage, wantAudio, deadline);
  }

  /** A piece of the user turn. */
  public sealed interface Part {
    /** Text. */
    record Text(String text) implements Part {}

    /** Inline bytes: an image, a PDF, audio. */
    record Inline(String mimeType, byte[] data) implements Part {}
  }
}
