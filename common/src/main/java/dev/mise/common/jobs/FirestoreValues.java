package dev.mise.common.jobs;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.FieldPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the plain Java values of the {@link JobStore} port and Firestore's types: {@code
 * Instant} and {@code Timestamp}, {@code byte[]} and {@code Blob}, recursively through maps and
 * lists. Firestore keeps microseconds, so an {@code Instant} comes back truncated to them.
 */
final class FirestoreValues {

  private FirestoreValues() {}

  static Object toFirestore(Object value) {
    return switch (value) {
      case null -> null;
      case Instant instant ->
          Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
      case byte[] bytes -> Blob.fromBytes(bytes);
      case Map<?, ?> map -> {
        Map<String, Object> converted = new LinkedHashMap<>();
        map.forEach((k, v) -> converted.put(String.valueOf(k), toFirestore(v)));
        yield converted;
      }
      case List<?> list -> {
        List<Object> converted = new ArrayList<>(list.size());
        list.forEach(v -> converted.add(toFirestore(v)));
        yield converted;
      }
      default -> value;
    };
  }

  static Object fromFirestore(Object value) {
    return switch (value) {
      case null -> null;
      case Timestamp timestamp ->
          Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
      case Blob blob -> blob.toBytes();
      case DocumentReference reference -> reference.getPath();
      case Map<?, ?> map -> fromFirestoreMap(map);
      case List<?> list -> {
        List<Object> converted = new ArrayList<>(list.size());
        list.forEach(v -> converted.add(fromFirestore(v)));
        yield converted;
      }
      default -> value;
    };
  }

  static Map<String, Object> fromFirestoreMap(Map<?, ?> map) {
    Map<String, Object> converted = new LinkedHashMap<>();
    map.forEach((k, v) -> converted.put(String.valueOf(k), fromFirestore(v)));
    return converted;
  }

  /** The nested data and the field mask of a merge whose keys may be dotted paths. */
  record Merge(Map<String, Object> data, List<FieldPath> mask) {}

  /**
   * Expands {@code {"steps.ocr.status": "done"}} into {@code {steps: {ocr: {status: "done"}}}} with
   * the mask {@code steps.ocr.status}, so only the named fields change and their siblings stay.
   */
  static Merge merge(Map<String, Object> fields) {
    Map<String, Object> data = new LinkedHashMap<>();
    List<FieldPath> mask = new ArrayList<>();
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String[] segments = FieldPaths.split(field.getKey());
      mask.add(FieldPath.of(segments));
      FieldPaths.put(data, segments, toFirestore(field.getValue()));
    }
    return new Merge(data, mask);
  }
}
