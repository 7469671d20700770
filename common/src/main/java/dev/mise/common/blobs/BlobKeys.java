package dev.mise.common.blobs;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The rules every {@link BlobStore} applies to keys and signed-URL lifetimes, so a key that works
 * locally works in Cloud Storage and behind the edge's {@code /assets/} route: slash-separated
 * segments of {@code A-Z a-z 0-9 . _ = -}, none empty, {@code .} or {@code ..}; no leading slash,
 * no backslash; at most 1024 characters. Such keys need no escaping in a URL.
 */
public final class BlobKeys {

  /** Cloud Storage's limit for V4 signed URLs. */
  public static final Duration MAX_SIGNED_URL_VALIDITY = Duration.ofDays(7);

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._=-]+");

  private BlobKeys() {}

  /**
   * Returns the key when valid.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static String requireValid(String key) {
    if (key == null || key.isEmpty() || key.length() > 1024) {
      throw new IllegalArgumentException("blob key must have 1 to 1024 characters");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("blob key has an empty, '.' or '..' segment: " + key);
      }
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException(
            "blob key may only hold A-Z a-z 0-9 . _ = - and slashes: " + key);
      }
    }
    return key;
  }

  /**
   * The lifetime a signed URL gets: the request capped at {@link #MAX_SIGNED_URL_VALIDITY}.
   *
   * @throws IllegalArgumentException when the request is zero or negative
   */
  public static Duration signedUrlValidity(Duration requested) {
    if (requested == null || requested.isZero() || requested.isNegative()) {
      throw new IllegalArgumentException("a signed URL must be valid for a positive duration");
    }
    return requested.compareTo(MAX_SIGNED_URL_VALIDITY) > 0 ? MAX_SIGNED_URL_VALIDITY : requested;
  }

  /** {@code base + "/assets/" + key}, without a doubled slash. */
  public static String publicUrl(String publicBaseUrl, String key) {
    String base =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
    return base + "/assets/" + requireValid(key);
  }
}
