package dev.mise.common.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a step produced: its output (JSON text, memoized in the job, or in the blob store when
 * large) and fields to merge into the job document in the same fenced write (dotted paths allowed),
 * e.g. the final result and {@code status: completed}.
 */
public record StepResult(String output, Map<String, Object> jobFields) {

  public StepResult {
    Objects.requireNonNull(output, "output");
    jobFields = jobFields == null ? Map.of() : Map.copyOf(jobFields);
  }

  /** A step that only produces output for later steps. */
  public static StepResult of(String output) {
    return new StepResult(output, Map.of());
  }

  /** The last step: the job becomes {@code completed} with these fields. */
  public static StepResult completing(String output, Map<String, Object> jobFields) {
    Map<String, Object> fields = new HashMap<>(jobFields);
    fields.put(JobDocument.STATUS, JobStatus.COMPLETED.value());
    return new StepResult(output, fields);
  }
}
