package dev.mise.common.auth;

import com.google.cloud.functions.HttpRequest;
import dev.mise.common.http.Problem;
import dev.mise.common.http.ProblemException;
import java.util.Map;

/**
 * The {@code Authorization: Bearer} credential of a request, and the 401s (RFC 6750) that refuse
 * one: without a token the challenge only names the scheme; with a bad one it adds {@code
 * error="invalid_token"} and the reason.
 */
final class BearerToken {
  private BearerToken() {}

  static String from(HttpRequest request) {
    String header = request.getFirstHeader("Authorization").orElse("").trim();
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw missing();
    }
    String token = header.substring(7).trim();
    if (token.isEmpty()) {
      throw missing();
    }
    return token;
  }

  static ProblemException missing() {
    return new ProblemException(
        Problem.of(
            401, "unauthorized", "Unauthorized", "Send an ID token as Authorization: Bearer."),
        Map.of("WWW-Authenticate", "Bearer realm=\"mise\""));
  }

  static ProblemException invalid(String reason) {
    String safe = reason.replaceAll("[^A-Za-z0-9 _.,:-]", "");
    return new ProblemException(
        Problem.of(401, "unauthorized", "Unauthorized", "The token was refused: " + safe + "."),
        Map.of(
            "WWW-Authenticate",
            "Bearer realm=\"mise\", error=\"invalid_token\", error_description=\"" + safe + "\""));
  }

  static ProblemException keysUnavailable() {
    return ProblemException.unavailable("Tokens cannot be checked right now; try again.", 5);
  }

  /** True when the token's header says {@code alg: none} (decoding faults count as signed). */
  static boolean isUnsigned(String token) {
    try {
      return Jwt.decode(token).algorithm().equals("none");
    } catch (InvalidTokenException e) {
      return false;
    }
  }
}
