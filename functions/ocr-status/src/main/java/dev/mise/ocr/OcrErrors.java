package dev.mise.ocr;

import dev.mise.common.models.ModelException;
import dev.mise.common.pipeline.StepFailedException;
import dev.mise.common.tasks.TaskQueueException;
import java.util.Locale;

/** The error codes jobs fail with, and which model failures are permanent. */
final class OcrErrors {
  private OcrErrors() {}

  /** A permanent model failure as a step failure; a transient one is thrown on as it is. */
  static StepFailedException permanentOrRethrow(ModelException e) {
    if (e.kind().transientFailure()) {
      throw e;
    }
    return switch (e.kind()) {
      case BLOCKED ->
          new StepFailedException("blocked", "The model declined to read this content.");
      default ->
          new StepFailedException("model_rejected", "The model could not process this input.");
    };
  }

  /** The code of a job whose step ran out of attempts on {@code cause}. */
  static String exhausted(Exception cause) {
    if (cause instanceof ModelException model) {
      return "model_" + model.kind().name().toLowerCase(Locale.ROOT);
    }
    if (cause instanceof TaskQueueException) {
      return "queue_unavailable";
    }
    return "retries_exhausted";
  }
}
