package dev.mise.common.auth;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a verified token must say.
 *
 * @param issuers accepted {@code iss} values
 * @param audience the {@code aud} that must be present (a string, or one of an array)
 * @param requireAuthTime true when {@code auth_time} must be present (Firebase always sets it); it
 *     is checked not to lie in the future whenever present
 * @param clockSkew tolerance for {@code exp}, {@code iat}, {@code nbf} and {@code auth_time}
 */
public record TokenPolicy(
    Set<String> issuers, String audience, boolean requireAuthTime, Duration clockSkew) {

  public static final String FIREBASE_ISSUER_PREFIX = "https://securetoken.google.com/";

  public TokenPolicy {
    issuers = Set.copyOf(issuers);
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(clockSkew, "clockSkew");
  }

  /** Firebase Authentication ID tokens of a project. */
  public static TokenPolicy firebase(String projectId) {
    return new TokenPolicy(
        Set.of(FIREBASE_ISSUER_PREFIX + projectId), projectId, true, Duration.ofMinutes(1));
  }

  /** Google-signed OIDC tokens of service accounts (what Cloud Tasks and Pub/Sub push send). */
  public static TokenPolicy google(String audience) {
    return new TokenPolicy(
        Set.of("https://accounts.google.com", "accounts.google.com"),
        audience,
        false,
        Duration.ofMinutes(1));
  }
}
