package dev.mise.emulators.tasks;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * The {@code Authorization: Bearer} token of a task with an {@code oidcToken}: the claims Google
 * puts in a service account's ID token, unsigned ({@code alg: none}) because nothing local holds
 * Google's keys. A verifier that runs locally checks the claims and skips the signature.
 */
final class OidcTokens {

  static final String ISSUER = "https://accounts.google.com";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private OidcTokens() {}

  /** An unsigned ID token {@code header.payload.} for the service account and audience. */
  static String idToken(String serviceAccount, String audience, Instant now) {
    JsonObject header = new JsonObject();
    header.addProperty("alg", "none");
    header.addProperty("typ", "JWT");
    String subject = subjectOf(serviceAccount);
    JsonObject claims = new JsonObject();
    claims.addProperty("iss", ISSUER);
    claims.addProperty("aud", audience);
    claims.addProperty("azp", subject);
    claims.addProperty("sub", subject);
    claims.addProperty("email", serviceAccount);
    claims.addProperty("email_verified", true);
    claims.addProperty("iat", now.getEpochSecond());
    claims.addProperty("exp", now.getEpochSecond() + 3600);
    return encode(header) + "." + encode(claims) + ".";
  }

  /** A stable 21-digit number standing in for the service account's unique id. */
  private static String subjectOf(String serviceAccount) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(serviceAccount.getBytes(StandardCharsets.UTF_8));
      String digits = new BigInteger(1, hash).toString();
      return "1" + digits.substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String encode(JsonObject json) {
    return BASE64URL.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }
}
