package dev.mise.common.jobs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Port to the document database that holds job state (Firestore in the cloud and locally, through
 * its emulator). Documents are plain maps of Java values: {@code String}, {@code Long}, {@code
 * Double}, {@code Boolean}, {@code java.time.Instant}, {@code byte[]}, {@code List} and nested
 * {@code Map}; SDK types never cross this port. A collection is a slash path such as {@code
 * "ocrJobs"} or {@code "batches/b1/items"}.
 */
public interface JobStore {

  /** Reads one document. */
  Optional<Map<String, Object>> get(String collection, String id);

  /** Creates a document; returns false, changing nothing, when it already exists. */
  boolean create(String collection, String id, Map<String, Object> fields);

  /**
   * Merges fields into a document, creating it when missing. Keys may be dotted field paths ({@code
   * "steps.ocr.status"}) to reach into nested maps without replacing them.
   */
  void merge(String collection, String id, Map<String, Object> fields);

  /** Deletes a document; a missing document is not an error. */
  void delete(String collection, String id);

  /**
   * Reads a document and writes a change to it atomically (a Firestore transaction, retried by the
   * client on contention). The function may be called more than once; it must not have side effects
   * outside its return value.
   */
  <T> T transact(
      String collection, String id, Function<Optional<Map<String, Object>>, Change<T>> fn);

  /** Documents of a collection whose field equals the value, at most {@code limit} of them. */
  List<Map<String, Object>> findEqual(String collection, String field, Object value, int limit);

  /**
   * The outcome of a transaction: fields to merge (null or empty for no write; dotted paths
   * allowed) and the value handed back to the caller.
   */
  record Change<T>(Map<String, Object> merge, T result) {
    public static <T> Change<T> none(T result) {
      return new Change<>(null, result);
    }

    public static <T> Change<T> write(Map<String, Object> merge, T result) {
      return new Change<>(merge, result);
    }
  }
}
