package dev.mise.common.testing;

import dev.mise.common.jobs.FieldPaths;
import dev.mise.common.jobs.JobStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@link JobStore} in memory with Firestore's semantics, for unit tests: {@code create} refuses
 * an existing id, merge keys are field paths (dots reach into nested maps and keep siblings),
 * values come back as Firestore returns them ({@code Long}, {@code Double}, {@code Instant}
 * truncated to microseconds, copies of {@code byte[]}), and every read returns a deep copy. A
 * transaction runs its function once, under the store's lock.
 */
public final class InMemoryJobStore implements JobStore {

  private final Map<String, Map<String, Object>> documents = new TreeMap<>();

  @Override
  public synchronized Optional<Map<String, Object>> get(String collection, String id) {
    return Optional.ofNullable(documents.get(path(collection, id))).map(InMemoryJobStore::copyMap);
  }

  @Override
  public synchronized boolean create(String collection, String id, Map<String, Object> fields) {
    String path = path(collection, id);
    if (documents.containsKey(path)) {
      return false;
    }
    documents.put(path, copyMap(fields));
    return true;
  }

  @Override
  public synchronized void merge(String collection, String id, Map<String, Object> fields) {
    String path = path(collection, id);
    Map<String, Object> document = documents.computeIfAbsent(path, p -> new LinkedHashMap<>());
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      FieldPaths.put(document, FieldPaths.split(field.getKey()), normalize(field.getValue()));
    }
  }

  @Override
  public synchronized void delete(String collection, String id) {
    documents.remove(path(collection, id));
  }

  @Override
  public synchronized <T> T transact(
      String collection, String id, Function<Optional<Map<String, Object>>, Change<T>> fn) {
    Change<T> change = fn.apply(get(collection, id));
    if (change.merge() != null && !change.merge().isEmpty()) {
      merge(collection, id, change.merge());
    }
    return change.result();
  }

  @Override
  public synchronized List<Map<String, Object>> findEqual(
      String collection, String field, Object value, int limit) {
    String[] segments = FieldPaths.split(field);
    Object wanted = normalize(value);
    List<Map<String, Object>> found = new ArrayList<>();
    String prefix = collection + "/";
    for (Map.Entry<String, Map<String, Object>> document : documents.entrySet()) {
      String path = document.getKey();
      boolean inCollection = path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0;
      if (inCollection
          && Objects.deepEquals(FieldPaths.get(document.getValue(), segments), wanted)
          && found.size() < limit) {
        found.add(copyMap(document.getValue()));
      }
    }
    return found;
  }

  /** Every document's path ({@code collection/id}), sorted. */
  public synchronized List<String> paths() {
    return List.copyOf(documents.keySet());
  }

  private static String path(String collection, String id) {
    if (id == null || id.isEmpty() || id.contains("/")) {
      throw new IllegalArgumentException("invalid document id: '" + id + "'");
    }
    return collection + "/" + id;
  }

  private static Map<String, Object> copyMap(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
    return copy;
  }

  /** What Firestore would hand back for a value written. */
  private static Object normalize(Object value) {
    return switch (value) {
      case null -> null;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Float f -> f.doubleValue();
      case Instant instant -> instant.truncatedTo(ChronoUnit.MICROS);
      case byte[] bytes -> bytes.clone();
      case Map<?, ?> map -> copyMap(map);
      case List<?> list -> new ArrayList<>(list.stream().map(InMemoryJobStore::normalize).toList());
      default -> value;
    };
  }
}
