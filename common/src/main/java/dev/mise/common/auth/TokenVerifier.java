package dev.mise.common.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;

/**
 * Verifies ID tokens: an RS256 signature by a key from the {@link KeySet}, then the claims against
 * a {@link TokenPolicy}: {@code iss}, {@code aud}, {@code exp}, and the checks
 * google-auth-library's {@code TokenVerifier} leaves out: {@code iat} and {@code nbf} not in the
 * future, {@code sub} present and at most 128 characters, {@code auth_time} not in the future (and
 * present when the policy says so).
 *
 * <p>Unsigned tokens ({@code alg: none}, as the Firebase Auth emulator and the local Cloud Tasks
 * emulator issue) pass only through a verifier built with {@link #acceptingUnsigned}, which callers
 * create only when the matching emulator variable is set.
 */
public final class TokenVerifier {
  private static final int MIN_RSA_BITS = 2048;

  private final TokenPolicy policy;
  private final KeySet keys;
  private final boolean unsigned;
  private final Clock clock;

  public TokenVerifier(TokenPolicy policy, KeySet keys, Clock clock) {
    this(policy, keys, false, clock);
  }

  private TokenVerifier(TokenPolicy policy, KeySet keys, boolean unsigned, Clock clock) {
    this.policy = policy;
    this.keys = keys;
    this.unsigned = unsigned;
    this.clock = clock;
  }

  /** A verifier that takes only unsigned emulator tokens, with the same claim checks. */
  public static TokenVerifier acceptingUnsigned(TokenPolicy policy, Clock clock) {
    return new TokenVerifier(policy, keyId -> java.util.Optional.empty(), true, clock);
  }

  public TokenPolicy policy() {
    return policy;
  }

  /**
   * Verifies a token.
   *
   * @throws InvalidTokenException when any check fails
   * @throws KeysUnavailableException when the keys cannot be fetched
   */
  public VerifiedToken verify(String token) throws InvalidTokenException {
    Jwt jwt = Jwt.decode(token);
    checkSignature(jwt);
    return checkClaims(jwt.claims());
  }

  private void checkSignature(Jwt jwt) throws InvalidTokenException {
    String alg = jwt.algorithm();
    if (unsigned) {
      if (!alg.equals("none") || jwt.signature().length != 0) {
        throw new InvalidTokenException("only unsigned emulator tokens are accepted here");
      }
      return;
    }
    if (!alg.equals("RS256")) {
      throw new InvalidTokenException("unsupported algorithm");
    }
    String keyId = jwt.keyId().orElseThrow(() -> new InvalidTokenException("token has no key id"));
    PublicKey key =
        keys.find(keyId).orElseThrow(() -> new InvalidTokenException("unknown signing key"));
    if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new InvalidTokenException("unsuitable signing key");
    }
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(jwt.signedPart());
      if (!verifier.verify(jwt.signature())) {
        throw new InvalidTokenException("bad signature");
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidTokenException("bad signature");
    }
  }

  private VerifiedToken checkClaims(JsonObject claims) throws InvalidTokenException {
    long now = clock.instant().getEpochSecond();
    long skew = policy.clockSkew().toSeconds();
    String issuer = string(claims, "iss");
    if (issuer == null || !policy.issuers().contains(issuer)) {
      throw new InvalidTokenException("wrong issuer");
    }
    if (!hasAudience(claims.get("aud"))) {
      throw new InvalidTokenException("wrong audience");
    }
    Long exp = seconds(claims, "exp");
    if (exp == null) {
      throw new InvalidTokenException("token has no expiry");
    }
    if (exp + skew <= now) {
      throw new InvalidTokenException("token expired");
    }
    Long iat = seconds(claims, "iat");
    if (iat == null || iat - skew > now) {
      throw new InvalidTokenException("token issued in the future");
    }
    Long nbf = seconds(claims, "nbf");
    if (nbf != null && nbf - skew > now) {
      throw new InvalidTokenException("token not valid yet");
    }
    Long authTime = seconds(claims, "auth_time");
    if (authTime == null && policy.requireAuthTime()) {
      throw new InvalidTokenException("token has no auth_time");
    }
    if (authTime != null && authTime - skew > now) {
      throw new InvalidTokenException("auth_time in the future");
    }
    String subject = string(claims, "sub");
    if (subject == null || subject.isEmpty() || subject.length() > 128) {
      throw new InvalidTokenException("token has no valid subject");
    }
    return new VerifiedToken(subject, claims);
  }

  private boolean hasAudience(JsonElement aud) {
    if (aud == null) {
      return false;
    }
    if (aud.isJsonArray()) {
      for (JsonElement item : aud.getAsJsonArray()) {
        if (item.isJsonPrimitive() && policy.audience().equals(item.getAsString())) {
          return true;
        }
      }
      return false;
    }
    return aud.isJsonPrimitive() && policy.audience().equals(aud.getAsString());
  }

  private static String string(JsonObject claims, String name) {
    JsonElement value = claims.get(name);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
        ? value.getAsString()
        : null;
  }

  private static Long seconds(JsonObject claims, String name) throws InvalidTokenException {
    JsonElement value = claims.get(name);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new InvalidTokenException(name + " is not a number");
    }
    try {
      return value.getAsBigDecimal().longValue();
    } catch (NumberFormatException e) {
      throw new InvalidTokenException(name + " is not a number");
    }
  }
}
