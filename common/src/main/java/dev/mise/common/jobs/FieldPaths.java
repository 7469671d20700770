package dev.mise.common.jobs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dotted field paths ({@code "steps.ocr.status"}) as the {@link JobStore} port takes them in merges
 * and queries. Public so that in-memory stores for tests apply the same rules.
 */
public final class FieldPaths {

  private FieldPaths() {}

  /** The path's segments; empty segments ({@code "a..b"}, a trailing dot) are refused. */
  public static String[] split(String path) {
    String[] segments = path.split("\\.", -1);
    if (Arrays.stream(segments).anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("invalid field path: '" + path + "'");
    }
    return segments;
  }

  /**
   * Sets the value at the path inside {@code root}, creating (or copying, never sharing) the maps
   * on the way; a value that is not a map on the way is replaced by one.
   */
  @SuppressWarnings("unchecked")
  public static void put(Map<String, Object> root, String[] segments, Object value) {
    Map<String, Object> current = root;
    for (int i = 0; i < segments.length - 1; i++) {
      Object next = current.get(segments[i]);
      Map<String, Object> child =
          next instanceof Map<?, ?> map
              ? new LinkedHashMap<>((Map<String, Object>) map)
              : new LinkedHashMap<>();
      current.put(segments[i], child);
      current = child;
    }
    current.put(segments[segments.length - 1], value);
  }

  /** The value at the path, or null when any segment is missing. */
  public static Object get(Map<String, Object> root, String[] segments) {
    Object current = root;
    for (String segment : segments) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(segment);
    }
    return current;
  }
}
