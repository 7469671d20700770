package dev.mise.common.models;

import com.google.genai.ApiClient;
import com.google.genai.ApiResponse;
import com.google.genai.errors.ApiException;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One {@code streamGenerateContent?alt=sse} call, handing each chunk over the moment its event is
 * complete.
 *
 * <p>Why not the SDK's {@code generateContentStream}: its iterator reads the next event before it
 * returns the current one, so every chunk arrives one event late and the last two together. This
 * class still sends the request through the SDK's {@link ApiClient} (same auth, base URL, timeout
 * and retry budget, same {@link ApiException} on an HTTP error) and parses each event with the
 * SDK's {@link GenerateContentResponse}; only the reading of the event stream is its own.
 */
final class GeminiEventStream {

  private GeminiEventStream() {}

  /**
   * Runs the call.
   *
   * @throws ConsumerFailure wrapping what {@code chunk} threw, so it is not mistaken for a model
   *     error
   */
  static ModelReply run(
      ApiClient api,
      boolean vertexAi,
      ModelRequest request,
      HttpOptions callOptions,
      Consumer<ModelReply> chunk) {
    String path = modelPath(request.model(), vertexAi) + ":streamGenerateContent?alt=sse";
    List<ModelReply> chunks = new ArrayList<>();
    try (ApiResponse response =
            api.request("POST", path, GeminiRequests.restBody(request), Optional.of(callOptions));
        BufferedReader events =
            new BufferedReader(
                new InputStreamReader(response.getBody().byteStream(), StandardCharsets.UTF_8))) {
      StringBuilder data = new StringBuilder();
      for (String line = events.readLine(); ; line = events.readLine()) {
        if (line == null || line.isEmpty()) {
          if (!data.isEmpty()) {
            ModelReply reply = parse(data.toString());
            chunks.add(reply);
            if (!reply.text().isEmpty() || !reply.media().isEmpty()) {
              handOver(chunk, reply);
            }
            data.setLength(0);
          }
          if (line == null) {
            break;
          }
        } else if (line.startsWith("data:")) {
          data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
        }
        // Other SSE fields (event:, id:, retry:) and comments carry nothing for us.
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return GeminiReplies.join(chunks);
  }

  /** {@code models/gemini-2.5-flash}, or on Vertex {@code publishers/google/models/...}. */
  static String modelPath(String model, boolean vertexAi) {
    if (model.contains("/")) {
      return model;
    }
    return (vertexAi ? "publishers/google/models/" : "models/") + model;
  }

  private static ModelReply parse(String json) {
    JsonObject event = JsonParser.parseString(json).getAsJsonObject();
    if (event.has("error")) {
      // An error after the stream started comes as an event, not as an HTTP status.
      JsonObject error = event.getAsJsonObject("error");
      throw new ApiException(
          error.has("code") ? error.get("code").getAsInt() : 500,
          error.has("status") ? error.get("status").getAsString() : "UNKNOWN",
          error.has("message") ? error.get("message").getAsString() : "error event");
    }
    return GeminiReplies.reply(GenerateContentResponse.fromJson(json));
  }

  private static void handOver(Consumer<ModelReply> chunk, ModelReply reply) {
    try {
      chunk.accept(reply);
    } catch (RuntimeException e) {
      throw new ConsumerFailure(e);
    }
  }

  /** The caller's chunk consumer failed; its exception is the cause. */
  static final class ConsumerFailure extends RuntimeException {
    ConsumerFailure(RuntimeException cause) {
      super(cause);
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) super.getCause();
    }
  }
}
