package dev.mise.common.auth;

import com.google.cloud.functions.HttpRequest;
import dev.mise.common.config.Env;
import dev.mise.common.http.Problem;
import dev.mise.common.http.ProblemException;
import java.time.Clock;
import java.util.Optional;

/**
 * Authenticates calls to internal endpoints (Cloud Tasks targets, push subscriptions): only a
 * Google-signed OIDC token whose audience is this endpoint and whose {@code email} is the
 * configured service account (verified) gets through. No token or a bad one is a 401; a good token
 * of another account is a 403.
 *
 * <p>Configuration: {@code INTERNAL_AUTH_AUDIENCE} (the audience tasks are created with, usually
 * the endpoint's URL), {@code INTERNAL_AUTH_SERVICE_ACCOUNT}, {@code INTERNAL_AUTH_JWKS_URL}
 * (default Google's OAuth2 certificates). When {@code CLOUD_TASKS_EMULATOR_HOST} is set, and only
 * then, the local Cloud Tasks emulator's unsigned tokens are accepted too, with the same claim
 * checks.
 */
public final class InternalAuth {
  public static final String GOOGLE_CERTS = "https://www.googleapis.com/oauth2/v3/certs";

  private final TokenVerifier signed;
  private final Optional<TokenVerifier> emulator;
  private final String serviceAccount;

  public InternalAuth(
      TokenVerifier signed, Optional<TokenVerifier> emulator, String serviceAccount) {
    this.signed = signed;
    this.emulator = emulator;
    this.serviceAccount = serviceAccount;
  }

  public static InternalAuth fromEnv(Env env) {
    return fromEnv(env, Clock.systemUTC());
  }

  static InternalAuth fromEnv(Env env, Clock clock) {
    TokenPolicy policy = TokenPolicy.google(env.require("INTERNAL_AUTH_AUDIENCE"));
    TokenVerifier signed =
        new TokenVerifier(
            policy, new RemoteKeySet(env.get("INTERNAL_AUTH_JWKS_URL", GOOGLE_CERTS)), clock);
    Optional<TokenVerifier> emulator =
        env.optional("CLOUD_TASKS_EMULATOR_HOST")
            .map(host -> TokenVerifier.acceptingUnsigned(policy, clock));
    return new InternalAuth(signed, emulator, env.require("INTERNAL_AUTH_SERVICE_ACCOUNT"));
  }

  /** The caller's verified token, or a 401/403 (503 when keys are unavailable) problem. */
  public VerifiedToken authenticate(HttpRequest request) {
    String token = BearerToken.from(request);
    TokenVerifier verifier = emulator.filter(e -> BearerToken.isUnsigned(token)).orElse(signed);
    VerifiedToken verified;
    try {
      verified = verifier.verify(token);
    } catch (InvalidTokenException e) {
      throw BearerToken.invalid(e.getMessage());
    } catch (KeysUnavailableException e) {
      throw BearerToken.keysUnavailable();
    }
    if (!verified.emailVerified()
        || !verified.email().map(serviceAccount::equalsIgnoreCase).orElse(false)) {
      throw new ProblemException(
          Problem.of(403, "forbidden", "Forbidden", "This endpoint is for internal callers."));
    }
    return verified;
  }
}
