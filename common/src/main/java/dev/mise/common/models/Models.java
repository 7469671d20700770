package dev.mise.common.models;

import java.util.List;
import java.util.function.Consumer;

/**
 * Port to the generative models (Gemini through the google-genai SDK; locally the same SDK pointed
 * at the Gemini stand-in). Every call has an explicit timeout and retry budget, set by the adapter
 * from configuration. Model output is untrusted: callers validate it like a request.
 */
public interface Models {

  /** One call; the whole answer. */
  ModelReply generate(ModelRequest request);

  /** One streamed call; each chunk is handed over as it arrives. Returns the joined reply. */
  ModelReply stream(ModelRequest request, Consumer<ModelReply> chunk);

  /** Embeddings of the texts, each of {@code dimensions} floats, in input order. */
  List<float[]> embed(String model, List<String> texts, int dimensions);
}
