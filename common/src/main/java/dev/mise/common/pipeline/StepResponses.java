package dev.mise.common.pipeline;

import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import dev.mise.common.http.ProblemException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers a trigger from a {@link StepOutcome}: 200 with a small JSON summary when the delivery is
 * handled (done, failed for good, skipped, superseded), so the queue does not retry; a 503 problem
 * with {@code Retry-After} when it must come back (busy, transient failure), so Cloud Tasks retries
 * with its backoff. For event functions, {@link #requireAcknowledged} throws instead, which makes
 * the invoker answer 500 and Eventarc redeliver.
 */
public final class StepResponses {
  private StepResponses() {}

  /** Writes the answer to a Cloud Tasks delivery. */
  public static void write(StepOutcome outcome, HttpResponse response) throws IOException {
    switch (outcome) {
      case StepOutcome.Busy busy ->
          throw ProblemException.unavailable(
              "Another delivery is running this step.", Math.max(1, busy.retryAfter().toSeconds()));
      case StepOutcome.Retry retry ->
          throw ProblemException.unavailable(
              "The step failed for now (" + retry.reason() + ").", 1);
      default -> {
        response.setStatusCode(200);
        response.setContentType("application/json");
        byte[] body = summary(outcome).toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = response.getOutputStream()) {
          out.write(body);
        }
      }
    }
  }

  /** For event functions: returns when handled, else throws so the event is redelivered. */
  public static void requireAcknowledged(StepOutcome outcome) {
    if (!outcome.acknowledged()) {
      throw new StepRetryException(outcome.toString());
    }
  }

  static JsonObject summary(StepOutcome outcome) {
    JsonObject json = new JsonObject();
    switch (outcome) {
      case StepOutcome.Done done -> {
        json.addProperty("outcome", "done");
        json.addProperty("memoized", done.memoized());
      }
      case StepOutcome.Failed failed -> {
        json.addProperty("outcome", "failed");
        json.addProperty("code", failed.code());
      }
      case StepOutcome.Skipped skipped -> {
        json.addProperty("outcome", "skipped");
        json.addProperty("reason", skipped.reason());
      }
      case StepOutcome.Superseded superseded -> {
        json.addProperty("outcome", "superseded");
        json.addProperty("attempt", superseded.attempt());
      }
      case StepOutcome.Busy busy -> json.addProperty("outcome", "busy");
      case StepOutcome.Retry retry -> json.addProperty("outcome", "retry");
    }
    return json;
  }

  /** Thrown by event functions so that their trigger redelivers the event. */
  public static final class StepRetryException extends RuntimeException {
    StepRetryException(String message) {
      super(message);
    }
  }
}
