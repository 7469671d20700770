package dev.mise.ocr;

import dev.mise.common.pipeline.JobDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OCR job document: the pipeline's common fields ({@link JobDocument}) plus the uploaded pages
 * ({@code files}), the upload's fingerprint for {@code Idempotency-Key} ({@code requestHash}), and
 * when done the {@code result}, {@code processingMs} and per-stage {@code timings}.
 */
final class OcrJob {
  static final String COLLECTION = "ocrJobs";
  static final String FILES = "files";
  static final String REQUEST_HASH = "requestHash";
  static final String RESULT = "result";
  static final String PROCESSING_MS = "processingMs";
  static final String TIMINGS = "timings";
  static final String OCR_STEP = "ocr";
  static final String CLEANUP_STEP = "cleanup";

  private static final char[] BASE32 = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

  private OcrJob() {}

  /** One uploaded page, stored under a server-chosen key. */
  record StoredPage(String key, String contentType, long bytes) {
    Map<String, Object> toMap() {
      return Map.of("key", key, "contentType", contentType, "bytes", bytes);
    }
  }

  static List<StoredPage> pages(Map<String, Object> job) {
    List<StoredPage> pages = new ArrayList<>();
    if (job.get(FILES) instanceof List<?> files) {
      for (Object file : files) {
        if (file instanceof Map<?, ?> map
            && map.get("key") instanceof String key
            && map.get("contentType") instanceof String type) {
          long bytes = map.get("bytes") instanceof Number n ? n.longValue() : 0;
          pages.add(new StoredPage(key, type, bytes));
        }
      }
    }
    return pages;
  }

  /** Where page {@code index} (0-based) of a job is stored. */
  static String pageKey(String jobId, int index, String extension) {
    return "ocr/" + jobId + "/page-" + (index + 1) + "." + extension;
  }

  /**
   * The job id an {@code Idempotency-Key} stands for: a hash of owner and key, so a repeated
   * request finds its job with one read and no index, and two users' keys never collide.
   */
  static String idFor(String owner, String idempotencyKey) {
    byte[] hash = sha256(owner + "\n" + idempotencyKey);
    char[] id = new char[20];
    for (int i = 0; i < id.length; i++) {
      id[i] = BASE32[(hash[i] & 0xFF) % 32];
    }
    return new String(id);
  }

  static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
