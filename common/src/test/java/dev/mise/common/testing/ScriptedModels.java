package dev.mise.common.testing;

import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelReply;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.models.Models;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An in-memory {@link Models} for unit tests of product logic: queue outcomes (replies, streamed
 * chunks, failures), optionally only for requests matching a predicate, then read back every
 * request. A call with nothing queued for it fails the test loudly unless {@link #otherwise} gives
 * a default. Embeddings are deterministic per text unless scripted. Thread-safe, so parallel calls
 * (three image generations at once) can be scripted by predicate.
 *
 * <pre>{@code
 * ScriptedModels models = new ScriptedModels()
 *     .then(ScriptedModels.text("{\"title\":\"Soup\"}"))
 *     .when(ModelRequest::wantImage, ScriptedModels.failure(ModelException.Kind.UNAVAILABLE));
 * // ... run the code under test ...
 * assertEquals(1, models.requests().size());
 * }</pre>
 */
public final class ScriptedModels implements Models {

  /** What one scripted call does. */
  public sealed interface Outcome {}

  /** Answer with this reply (a stream hands it over as one chunk). */
  public record Reply(ModelReply reply) implements Outcome {}

  /** A stream handing over each chunk in turn; {@code generate} answers with them joined. */
  public record Chunks(List<ModelReply> chunks) implements Outcome {}

  /** Throw this. */
  public record Failure(ModelException error) implements Outcome {}

  /** A reply with this text (JSON, when the code under test asked for a schema). */
  public static Outcome text(String text) {
    return new Reply(new ModelReply(text, List.of(), "STOP", 0, 0));
  }

  /** A reply carrying one inline file, e.g. a PNG for an image request. */
  public static Outcome media(String mimeType, byte[] data) {
    return new Reply(
        new ModelReply("", List.of(new ModelReply.Media(mimeType, data)), "STOP", 0, 0));
  }

  /** A stream of text chunks. */
  public static Outcome chunks(String... texts) {
    List<ModelReply> chunks = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      String finish = i == texts.length - 1 ? "STOP" : null;
      chunks.add(new ModelReply(texts[i], List.of(), finish, 0, 0));
    }
    return new Chunks(chunks);
  }

  /** A failure of this kind. */
  public static Outcome failure(ModelException.Kind kind) {
    return new Failure(new ModelException(kind, "scripted " + kind, null));
  }

  private record Rule(Predicate<ModelRequest> when, Deque<Outcome> outcomes) {}

  /** One {@link #embed} call. */
  public record EmbedCall(String model, List<String> texts, int dimensions) {}

  private final List<Rule> rules = new ArrayList<>();
  private final List<ModelRequest> requests = new ArrayList<>();
  private final List<EmbedCall> embedCalls = new ArrayList<>();
  private final Deque<Outcome> embedOutcomes = new ArrayDeque<>();
  private Function<ModelRequest, Outcome> otherwise;

  /** Queues outcomes for the next calls, whatever they ask. */
  public ScriptedModels then(Outcome... outcomes) {
    return when(request -> true, outcomes);
  }

  /**
   * Queues outcomes for the next calls matching {@code when}. Rules are tried in the order they
   * were added; an exhausted rule no longer matches.
   */
  public synchronized ScriptedModels when(Predicate<ModelRequest> when, Outcome... outcomes) {
    rules.add(new Rule(when, new ArrayDeque<>(List.of(outcomes))));
    return this;
  }

  /** The outcome of calls nothing queued matches (instead of failing the test). */
  public synchronized ScriptedModels otherwise(Function<ModelRequest, Outcome> fallback) {
    this.otherwise = fallback;
    return this;
  }

  /** Queues a failure for the next {@link #embed} call. */
  public synchronized ScriptedModels failNextEmbed(ModelException.Kind kind) {
    embedOutcomes.add(failure(kind));
    return this;
  }

  /** Every generate and stream request, in call order. */
  public synchronized List<ModelRequest> requests() {
    return List.copyOf(requests);
  }

  /** Every embed call, in call order. */
  public synchronized List<EmbedCall> embedCalls() {
    return List.copyOf(embedCalls);
  }

  @Override
  public ModelReply generate(ModelRequest request) {
    return switch (next(request)) {
      case Reply reply -> reply.reply();
      case Chunks chunks -> join(chunks.chunks());
      case Failure failure -> throw failure.error();
    };
  }

  @Override
  public ModelReply stream(ModelRequest request, Consumer<ModelReply> chunk) {
    List<ModelReply> chunks =
        switch (next(request)) {
          case Reply reply -> List.of(reply.reply());
          case Chunks scripted -> scripted.chunks();
          case Failure failure -> throw failure.error();
        };
    chunks.forEach(chunk);
    return join(chunks);
  }

  @Override
  public List<float[]> embed(String model, List<String> texts, int dimensions) {
    synchronized (this) {
      embedCalls.add(new EmbedCall(model, List.copyOf(texts), dimensions));
      Outcome outcome = embedOutcomes.poll();
      if (outcome instanceof Failure failure) {
        throw failure.error();
      }
    }
    return texts.stream().map(text -> vector(text, dimensions)).toList();
  }

  private synchronized Outcome next(ModelRequest request) {
    requests.add(request);
    for (Rule rule : rules) {
      if (!rule.outcomes().isEmpty() && rule.when().test(request)) {
        return rule.outcomes().poll();
      }
    }
    if (otherwise != null) {
      return otherwise.apply(request);
    }
    throw new AssertionError("ScriptedModels: nothing scripted for a call to " + request.model());
  }

  private static ModelReply join(List<ModelReply> chunks) {
    StringBuilder text = new StringBuilder();
    List<ModelReply.Media> media = new ArrayList<>();
    String finish = null;
    for (ModelReply chunk : chunks) {
      text.append(chunk.text());
      media.addAll(chunk.media());
      finish = chunk.finishReason() == null ? finish : chunk.finishReason();
    }
    return new ModelReply(text.toString(), media, finish, 0, 0);
  }

  /** A unit vector seeded by the text: equal texts, equal vectors. */
  private static float[] vector(String text, int dimensions) {
    Random random = new Random(java.util.Arrays.hashCode(text.getBytes(StandardCharsets.UTF_8)));
    float[] vector = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    for (int i = 0; i < dimensions; i++) {
      vector[i] /= (float) Math.sqrt(norm);
    }
    return vector;
  }
}
