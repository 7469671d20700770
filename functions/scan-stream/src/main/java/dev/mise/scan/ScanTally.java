package dev.mise.scan;

import dev.mise.common.logging.Log;
import dev.mise.scan.session.ImageState;

/** What one scan did, for its one structured log line. */
final class ScanTally {
  String outcome = "failed";
  String cache = "none";
  boolean cached;
  long vlmMillis;
  long imageGenMillis;
  long totalMillis;
  int imagesReady;
  int imagesFailed;
  int modelCalls;

  void count(ImageState picture) {
    if (picture.isReady()) {
      imagesReady++;
    } else {
      imagesFailed++;
    }
  }

  /** The scan's line: Cloud Logging's jsonPayload gets every field, for log-based metrics. */
  void log(Log log, String sessionId) {
    log.info(
        "scan " + outcome,
        "session_id",
        sessionId,
        "outcome",
        outcome,
        "cached",
        cached,
        "cache",
        cache,
        "vlm_ms",
        vlmMillis,
        "image_gen_ms",
        imageGenMillis,
        "total_ms",
        totalMillis,
        "images_ready",
        imagesReady,
        "images_failed",
        imagesFailed,
        "model_calls",
        modelCalls);
  }
}
