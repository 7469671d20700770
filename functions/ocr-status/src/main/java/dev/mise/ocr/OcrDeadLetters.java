package dev.mise.ocr;

import com.google.cloud.functions.CloudEventsFunction;
import dev.mise.common.config.Env;
import dev.mise.common.events.PubSubMessage;
import dev.mise.common.logging.Log;
import dev.mise.common.pipeline.SeenEvents;
import dev.mise.common.pipeline.StepCall;
import dev.mise.common.pipeline.StepOutcome;
import dev.mise.common.pipeline.StepResponses;
import io.cloudevents.CloudEvent;

/**
 * The OCR worker's dead letters, triggered by {@code ocr-jobs-dead}. Pub/Sub moves an {@code
 * ocr-jobs} message there when its deliveries run out for reasons the worker cannot count or see:
 * deliveries refused before it ran, instances that died mid-step, busy answers. Nothing else would
 * end such a job, so it would stay {@code processing}. This function gives up on the job's OCR step
 * ({@link dev.mise.common.pipeline.StepRunner#giveUp}): a job that is still running and that no
 * delivery is working on fails with {@code delivery_exhausted} and a dead-letter record; a job
 * already over is left as it is; a live lease is waited for (the event is redelivered after
 * Eventarc's backoff); an OCR step that did finish has its cleanup task queued again by name. A
 * dead letter seen before is acknowledged without work, as the worker does with its messages.
 */
public final class OcrDeadLetters implements CloudEventsFunction {
  static final String DELIVERY_EXHAUSTED = "delivery_exhausted";
  static final String MESSAGE = "The pages could not be processed: the job was retried too often.";

  /** The attribute Pub/Sub adds to a dead-lettered message: deliveries it made. */
  private static final String DELIVERY_COUNT = "CloudPubSubDeadLetterSourceDeliveryCount";

  private final OcrServices services;
  private final Log log = Log.to("ocr-dead-letters");
  private final Lazy<SeenEvents> seen;
  private final Lazy<OcrStep> step;

  public OcrDeadLetters() {
    this(OcrServices.runtime());
    // The cleanup task of a finished OCR step may need queueing again: fail at start without it.
    Env.system().require("OCR_CLEANUP_URL");
  }

  OcrDeadLetters(OcrServices services) {
    this.services = services;
    this.seen = Lazy.of(services::seenEvents);
    // Only the step's name, chain and error codes are used: the pages are never read here.
    this.step = Lazy.of(services::chainedOcrStep);
  }

  @Override
  public void accept(CloudEvent event) {
    Log eventLog = log.with("eventId", event.getId());
    PubSubMessage message;
    String jobId;
    try {
      message = PubSubMessage.from(event);
      jobId = OcrWorker.jobIdOf(message);
    } catch (IllegalArgumentException e) {
      eventLog.error("unusable dead letter; acknowledged without work: " + e.getMessage(), null);
      return;
    }
    String source = String.valueOf(event.getSource());
    if (seen.get().contains(source, event.getId())) {
      eventLog.info("dead letter seen before; acknowledged", "jobId", jobId);
      return;
    }
    StepCall call =
        new StepCall(
            OcrJob.COLLECTION,
            jobId,
            deliveries(message),
            services.settings.workerMaxAttempts(),
            eventLog);
    StepOutcome outcome = services.runner().giveUp(call, step.get(), DELIVERY_EXHAUSTED, MESSAGE);
    eventLog.info(
        "dead letter handled", "jobId", jobId, "outcome", outcome.getClass().getSimpleName());
    StepResponses.requireAcknowledged(outcome);
    seen.get().remember(source, event.getId());
  }

  /** How many deliveries Pub/Sub made before it gave up; 0 when it does not say. */
  static int deliveries(PubSubMessage message) {
    try {
      return Math.max(0, Integer.parseInt(message.attributes().getOrDefault(DELIVERY_COUNT, "0")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
