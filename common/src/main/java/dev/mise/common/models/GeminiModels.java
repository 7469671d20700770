package dev.mise.common.models;

import com.google.genai.HttpApiClient;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.mise.common.config.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link Models} over the google-genai SDK: Gemini through the Developer API or Vertex AI (see
 * {@link GeminiSettings}), locally the same SDK pointed at the Gemini stand-in. Every call gets an
 * explicit deadline (all attempts included) and an explicit number of attempts, because the SDK's
 * defaults retry for close to a minute before a 429 surfaces. SDK errors become {@link
 * ModelException}s; a blocked prompt or answer is {@link ModelException.Kind#BLOCKED}. The SDK
 * client is created on first use and shared by all calls of this instance.
 */
public final class GeminiModels implements Models, AutoCloseable {

  /** The Gemini API takes at most 100 texts per batchEmbedContents call. */
  private static final int EMBED_BATCH = 100;

  private final GeminiSettings settings;
  private HttpApiClient api;
  private com.google.genai.Models sdk;

  /** For the runtime: settings from the environment. */
  public GeminiModels() {
    this(GeminiSettings.from(Env.system()));
  }

  public GeminiModels(GeminiSettings settings) {
    this.settings = settings;
  }

  @Override
  public ModelReply generate(ModelRequest request) {
    try {
      return GeminiReplies.reply(
          sdk()
              .generateContent(
                  request.model(),
                  GeminiRequests.content(request),
                  GeminiRequests.config(request, callOptions(request.timeout()))));
    } catch (RuntimeException e) {
      throw GeminiErrors.map(request.model(), e);
    }
  }

  @Override
  public ModelReply stream(ModelRequest request, Consumer<ModelReply> chunk) {
    try {
      return GeminiEventStream.run(
          api(), settings.vertexAi(), request, callOptions(request.timeout()), chunk);
    } catch (GeminiEventStream.ConsumerFailure failure) {
      throw failure.getCause();
    } catch (RuntimeException e) {
      throw GeminiErrors.map(request.model(), e);
    }
  }

  @Override
  public List<float[]> embed(String model, List<String> texts, int dimensions) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    EmbedContentConfig config =
        EmbedContentConfig.builder()
            .outputDimensionality(dimensions)
            .httpOptions(callOptions(null))
            .build();
    try {
      for (int start = 0; start < texts.size(); start += EMBED_BATCH) {
        List<String> batch = texts.subList(start, Math.min(texts.size(), start + EMBED_BATCH));
        EmbedContentResponse response = sdk().embedContent(model, batch, config);
        List<ContentEmbedding> embeddings = response.embeddings().orElse(List.of());
        if (embeddings.size() != batch.size()) {
          throw new ModelException(
              ModelException.Kind.UNAVAILABLE,
              model + ": " + embeddings.size() + " embeddings for " + batch.size() + " texts",
              null);
        }
        for (ContentEmbedding embedding : embeddings) {
          vectors.add(vector(model, embedding, dimensions));
        }
      }
    } catch (RuntimeException e) {
      throw GeminiErrors.map(model, e);
    }
    return vectors;
  }

  @Override
  public synchronized void close() {
    if (api != null) {
      api.close();
      api = null;
      sdk = null;
    }
  }

  private static float[] vector(String model, ContentEmbedding embedding, int dimensions) {
    List<Float> values = embedding.values().orElse(List.of());
    if (values.size() != dimensions) {
      // The model ignored outputDimensionality: a setting the model cannot honour, not a blip.
      throw new ModelException(
          ModelException.Kind.INVALID_REQUEST,
          model + ": embedding of " + values.size() + " dimensions, asked for " + dimensions,
          null);
    }
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = values.get(i);
    }
    return vector;
  }

  /** The budget of one call: its deadline (the request's, else the default) and attempts. */
  private HttpOptions callOptions(Duration timeout) {
    Duration deadline = timeout == null ? settings.timeout() : timeout;
    return HttpOptions.builder()
        .timeout(Math.toIntExact(deadline.toMillis()))
        .retryOptions(retryOptions())
        .build();
  }

  private HttpRetryOptions retryOptions() {
    return HttpRetryOptions.builder().attempts(settings.retryAttempts()).build();
  }

  private synchronized com.google.genai.Models sdk() {
    api();
    return sdk;
  }

  private synchronized HttpApiClient api() {
    if (api == null) {
      HttpOptions.Builder options =
          HttpOptions.builder()
              .timeout(Math.toIntExact(settings.timeout().toMillis()))
              .retryOptions(retryOptions());
      if (settings.baseUrl() != null) {
        options.baseUrl(settings.baseUrl());
      }
      // What Client.builder() builds, minus its side clients: one HTTP client serves both the
      // SDK's Models and the event stream this adapter reads itself.
      api =
          settings.vertexAi()
              ? new HttpApiClient(
                  Optional.empty(),
                  Optional.of(settings.project()),
                  Optional.of(settings.location()),
                  Optional.empty(),
                  Optional.of(options.build()),
                  Optional.empty())
              : new HttpApiClient(
                  Optional.of(settings.apiKey()), Optional.of(options.build()), Optional.empty());
      sdk = new com.google.genai.Models(api);
    }
    return api;
  }
}
