package dev.mise.common.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of the process environment, validated when a function starts: a missing or malformed
 * variable raises one {@link ConfigException} that names it. Construct from {@link System#getenv()}
 * at runtime and from a map in tests.
 */
public final class Env {

  private final Map<String, String> vars;

  public Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  public Optional<String> optional(String name) {
    String value = vars.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String require(String name) {
    return optional(name).orElseThrow(() -> new ConfigException(name, "is required but not set"));
  }

  public String get(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  public int getInt(String name, int fallback) {
    return optional(name).map(v -> parseInt(name, v)).orElse(fallback);
  }

  public long getLong(String name, long fallback) {
    return optional(name).map(v -> parseLong(name, v)).orElse(fallback);
  }

  public boolean getBoolean(String name, boolean fallback) {
    return optional(name)
        .map(
            v ->
                switch (v.toLowerCase(java.util.Locale.ROOT)) {
                  case "true", "1", "yes" -> true;
                  case "false", "0", "no" -> false;
                  default -> throw new ConfigException(name, "must be true or false, was " + v);
                })
        .orElse(fallback);
  }

  /** A duration as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or {@code 7d}. */
  public Duration getDuration(String name, Duration fallback) {
    return optional(name).map(v -> parseDuration(name, v)).orElse(fallback);
  }

  /** The Google Cloud project: {@code GOOGLE_CLOUD_PROJECT}, or {@code GCLOUD_PROJECT}. */
  public String projectId() {
    return optional("GOOGLE_CLOUD_PROJECT")
        .or(() -> optional("GCLOUD_PROJECT"))
        .orElseThrow(() -> new ConfigException("GOOGLE_CLOUD_PROJECT", "is required but not set"));
  }

  static Duration parseDuration(String name, String value) {
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      long amount = Long.parseLong(value.substring(0, value.length() - 1));
      return switch (value.charAt(value.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new ConfigException(name, "must be a duration like 30s, 5m or 7d, was " + value);
    }
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a whole number, was " + value);
    }
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a whole number, was " + value);
    }
  }
}
