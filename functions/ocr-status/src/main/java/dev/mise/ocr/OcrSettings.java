package dev.mise.ocr;

import dev.mise.common.config.Env;
import dev.mise.common.http.MultipartForm;
import java.time.Duration;

/**
 * The OCR functions' configuration, from the environment (names in {@code docs/api.md}).
 *
 * @param retention how long jobs and their files live ({@code OCR_RETENTION}, default 7d)
 * @param topic the topic the upload publishes to ({@code OCR_TOPIC}, default {@code ocr-jobs})
 * @param workerMaxAttempts deliveries of one message before the worker gives up; match the
 *     subscription's {@code maxDeliveryAttempts} ({@code OCR_WORKER_MAX_ATTEMPTS}, default 5)
 * @param cleanupQueue the Cloud Tasks queue of the cleanup step ({@code OCR_CLEANUP_QUEUE})
 * @param cleanupUrl the cleanup function's URL ({@code OCR_CLEANUP_URL})
 * @param cleanupAudience the audience of the tasks' OIDC token ({@code OCR_CLEANUP_AUDIENCE},
 *     default the URL); the cleanup function expects it as {@code INTERNAL_AUTH_AUDIENCE}
 * @param cleanupMaxAttempts the queue's {@code maxAttempts} ({@code OCR_CLEANUP_MAX_ATTEMPTS})
 * @param tasksServiceAccount whose OIDC token cleanup tasks carry ({@code TASKS_SERVICE_ACCOUNT})
 * @param model the Gemini model ({@code OCR_MODEL}, default {@code gemini-2.5-flash})
 * @param modelTimeout one model call's deadline ({@code OCR_MODEL_TIMEOUT}, default 60s)
 * @param lease how long a delivery owns a step ({@code OCR_STEP_LEASE}, default 3m; at least the
 *     functions' timeout)
 * @param statusPoll how often the SSE status form re-reads the job ({@code OCR_STATUS_POLL})
 * @param statusStreamMax how long one SSE response lasts before the client reconnects ({@code
 *     OCR_STATUS_STREAM_MAX}, default 50s, under the function's timeout)
 */
record OcrSettings(
    Duration retention,
    String topic,
    int workerMaxAttempts,
    String cleanupQueue,
    String cleanupUrl,
    String cleanupAudience,
    int cleanupMaxAttempts,
    String tasksServiceAccount,
    String model,
    Duration modelTimeout,
    Duration lease,
    Duration statusPoll,
    Duration statusStreamMax) {

  /** The upload limits of the product: 10 MB a file, 25 MB a request, 10 files. */
  static final MultipartForm.Limits UPLOAD_LIMITS =
      new MultipartForm.Limits(10L << 20, 25L << 20, 10, 4, 1024);

  static OcrSettings from(Env env) {
    return new OcrSettings(
        env.getDuration("OCR_RETENTION", Duration.ofDays(7)),
        env.get("OCR_TOPIC", "ocr-jobs"),
        env.getInt("OCR_WORKER_MAX_ATTEMPTS", 5),
        env.get("OCR_CLEANUP_QUEUE", "ocr-steps"),
        env.optional("OCR_CLEANUP_URL").orElse(null),
        env.optional("OCR_CLEANUP_AUDIENCE").or(() -> env.optional("OCR_CLEANUP_URL")).orElse(null),
        env.getInt("OCR_CLEANUP_MAX_ATTEMPTS", 5),
        env.optional("TASKS_SERVICE_ACCOUNT").orElse(null),
        env.get("OCR_MODEL", "gemini-2.5-flash"),
        env.getDuration("OCR_MODEL_TIMEOUT", Duration.ofSeconds(60)),
        env.getDuration("OCR_STEP_LEASE", Duration.ofMinutes(3)),
        env.getDuration("OCR_STATUS_POLL", Duration.ofMillis(500)),
        env.getDuration("OCR_STATUS_STREAM_MAX", Duration.ofSeconds(50)));
  }
}
