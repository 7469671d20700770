package dev.mise.ocr;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.mise.common.config.Env;
import dev.mise.common.events.PubSubMessage;
import dev.mise.common.logging.Log;
import dev.mise.common.pipeline.SeenEvents;
import dev.mise.common.pipeline.StepCall;
import dev.mise.common.pipeline.StepOutcome;
import dev.mise.common.pipeline.StepResponses;
import io.cloudevents.CloudEvent;
import java.util.regex.Pattern;

/**
 * The OCR worker, triggered by {@code ocr-jobs} messages (Eventarc delivers each as a {@code
 * messagePublished} CloudEvent): marks the job {@code processing}, reads every page with Gemini,
 * memoizes the raw text and enqueues the recipe-cleanup task. A message seen before is acknowledged
 * without work; a transient failure throws, so Eventarc redelivers with backoff, until the last
 * attempt fails the job with a code and a dead-letter record. A message whose deliveries run out
 * before that (busy answers, crashes, deliveries that never reached the function) moves to {@code
 * ocr-jobs-dead}, where {@link OcrDeadLetters} ends the job. A message that names no job is logged
 * and acknowledged: redelivering it could never help.
 */
public final class OcrWorker implements CloudEventsFunction {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  private final OcrServices services;
  private final Log log = Log.to("ocr-worker");
  private final Lazy<SeenEvents> seen;
  private final Lazy<OcrStep> step;

  public OcrWorker() {
    this(OcrServices.runtime());
    // Fail at start, not at the first message, when the chain has nowhere to go.
    Env.system().require("OCR_CLEANUP_URL");
  }

  OcrWorker(OcrServices services) {
    this.services = services;
    this.seen = Lazy.of(services::seenEvents);
    this.step = Lazy.of(services::chainedOcrStep);
  }

  @Override
  public void accept(CloudEvent event) {
    Log eventLog = log.with("eventId", event.getId());
    String jobId;
    try {
      jobId = jobIdOf(PubSubMessage.from(event));
    } catch (IllegalArgumentException e) {
      eventLog.error(
          "unusable ocr-jobs message; acknowledged without work: " + e.getMessage(), null);
      return;
    }
    String source = String.valueOf(event.getSource());
    if (seen.get().contains(source, event.getId())) {
      eventLog.info("event seen before; acknowledged", "jobId", jobId);
      return;
    }
    StepOutcome outcome =
        services
            .runner()
            .run(
                StepCall.fromEvent(
                    OcrJob.COLLECTION, jobId, services.settings.workerMaxAttempts(), eventLog),
                step.get());
    StepResponses.requireAcknowledged(outcome);
    seen.get().remember(source, event.getId());
  }

  static String jobIdOf(PubSubMessage message) {
    String id = message.attributes().get("jobId");
    if (id == null) {
      JsonElement body;
      try {
        body = JsonParser.parseString(message.text());
      } catch (JsonParseException e) {
        throw new IllegalArgumentException("the message is not JSON", e);
      }
      if (body.isJsonObject()
          && body.getAsJsonObject().get("jobId") instanceof JsonElement value
          && value.isJsonPrimitive()) {
        id = value.getAsString();
      }
    }
    if (id == null || !JOB_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("the message names no valid jobId");
    }
    return id;
  }
}
