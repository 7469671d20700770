package dev.mise.emulators.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Who may call a function, as the manifest spells it: {@code public}, {@code user}, ... */
public enum Access {
  /** Anyone: deployed with {@code --allow-unauthenticated}. */
  PUBLIC,
  /** A signed-in user (Firebase ID token), checked by the function; reached through the edge. */
  USER,
  /** A caller holding an API key, checked by the function; reached through the edge. */
  API_KEY,
  /** Only Cloud Tasks, Eventarc or the edge's service account: never routed to the public. */
  INTERNAL;

  /** The manifest's spelling: lower case, {@code -} for {@code _}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Access parse(String value) {
    for (Access access : values()) {
      if (access.wireName().equals(value)) {
        return access;
      }
    }
    throw new IllegalArgumentException(
        "must be one of "
            + Arrays.stream(values()).map(Access::wireName).collect(Collectors.joining(", "))
            + ", was '"
            + value
            + "'");
  }
}
