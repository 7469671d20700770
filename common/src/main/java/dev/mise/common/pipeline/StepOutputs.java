package dev.mise.common.pipeline;

import dev.mise.common.blobs.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Memoized step outputs: small ones inline in the job document ({@code output}), large ones in the
 * blob store under a key derived from job, step and attempt, with only the key ({@code outputRef})
 * in the document, which Firestore caps at 1 MiB.
 */
final class StepOutputs {
  static final String OUTPUT = "output";
  static final String OUTPUT_REF = "outputRef";

  private final BlobStore blobs;
  private final int inlineLimit;

  StepOutputs(BlobStore blobs, int inlineLimit) {
    this.blobs = blobs;
    this.inlineLimit = inlineLimit;
  }

  /** Where the output goes: the fields for the step's record; a large output is stored first. */
  Map<String, Object> store(
      String collection, String jobId, String step, long attempt, String output) {
    byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= inlineLimit) {
      return Map.of(OUTPUT, output);
    }
    String key =
        "pipeline/"
            + collection.replace('/', '_')
            + "/"
            + jobId
            + "/"
            + step
            + "-"
            + attempt
            + ".json";
    blobs.put(key, bytes, "application/json");
    return Map.of(OUTPUT_REF, key);
  }

  /** Removes a large output whose commit lost to a newer attempt. */
  void discard(Map<String, Object> stored) {
    if (stored.get(OUTPUT_REF) instanceof String key) {
      blobs.delete(key);
    }
  }

  /** The output recorded in a done step's record. */
  Optional<String> read(Map<String, Object> stepRecord) {
    if (!StepRecord.done(stepRecord)) {
      return Optional.empty();
    }
    if (stepRecord.get(OUTPUT) instanceof String inline) {
      return Optional.of(inline);
    }
    if (stepRecord.get(OUTPUT_REF) instanceof String key) {
      return Optional.of(
          blobs
              .get(key)
              .map(blob -> new String(blob.data(), StandardCharsets.UTF_8))
              .orElseThrow(
                  () -> new IllegalStateException("memoized output " + key + " is missing")));
    }
    return Optional.empty();
  }
}
