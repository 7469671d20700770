package dev.mise.emulators.assets;

import java.util.regex.Pattern;

/**
 * Which object keys the local asset server will serve: relative slash paths, nothing that escapes.
 */
final class AssetKeys {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._=-]+");

  private AssetKeys() {}

  static boolean isSafe(String rawKey) {
    if (rawKey.isEmpty() || rawKey.length() > 1024 || rawKey.contains("%")) {
      return false;
    }
    for (String segment : rawKey.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        return false;
      }
      if (!SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }
}
