package dev.mise.emulators.assets;

/** One HTTP byte range ({@code 0-99}, {@code 100-}, {@code -50}) resolved against a size. */
final class ByteRange {
  private ByteRange() {}

  /** {start, end} inclusive, or null when the range is not satisfiable. */
  static long[] parse(String spec, long size) {
    int dash = spec.indexOf('-');
    if (dash < 0 || size == 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        return suffix <= 0 ? null : new long[] {Math.max(0, size - suffix), size - 1};
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
      return start > end || start >= size ? null : new long[] {start, end};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
