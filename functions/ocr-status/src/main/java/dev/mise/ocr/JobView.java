package dev.mise.ocr;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mise.common.http.StrictJson;
import dev.mise.common.pipeline.JobDocument;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a client sees of a job: {@code {jobId, status, result?, error?, createdAt, updatedAt,
 * processingMs?, timings?}}. Internals (owner, files, step leases) stay out. Its ETag is a hash of
 * exactly this JSON, so it changes when, and only when, the client would see a change.
 */
final class JobView {
  private static final Gson GSON = StrictJson.gson().newBuilder().serializeNulls().create();

  private JobView() {}

  static JsonObject of(String jobId, Map<String, Object> job) {
    JsonObject view = new JsonObject();
    view.addProperty("jobId", jobId);
    view.addProperty("status", String.valueOf(job.get(JobDocument.STATUS)));
    copy(job, view, OcrJob.RESULT);
    copy(job, view, JobDocument.ERROR);
    view.addProperty("createdAt", instant(job.get(JobDocument.CREATED_AT)));
    view.addProperty("updatedAt", instant(job.get(JobDocument.UPDATED_AT)));
    if (job.get(OcrJob.PROCESSING_MS) instanceof Number ms) {
      view.addProperty("processingMs", ms.longValue());
    }
    copy(job, view, OcrJob.TIMINGS);
    return view;
  }

  static String etag(JsonObject view) {
    byte[] hash = OcrJob.sha256(view.toString());
    return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
  }

  private static void copy(Map<String, Object> job, JsonObject view, String field) {
    Object value = job.get(field);
    if (value != null) {
      JsonElement json = GSON.toJsonTree(value);
      view.add(field, json);
    }
  }

  private static String instant(Object value) {
    return value instanceof Instant instant ? instant.toString() : null;
  }
}
