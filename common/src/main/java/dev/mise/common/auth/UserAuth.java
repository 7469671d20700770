package dev.mise.common.auth;

import com.google.cloud.functions.HttpRequest;
import dev.mise.common.config.Env;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates the user of a user-facing endpoint from a Firebase ID token (or any OIDC
 * provider's, by configuration). Missing or refused tokens are 401 problems with a {@code
 * WWW-Authenticate} challenge; keys that cannot be fetched are a 503.
 *
 * <p>Configuration: {@code AUTH_ISSUER} (default {@code https://securetoken.google.com/<project>}),
 * {@code AUTH_AUDIENCE} (default the project id), {@code AUTH_JWKS_URL} (a JWK Set or X.509
 * certificate map; default Firebase's certificates), {@code AUTH_REQUIRE_AUTH_TIME} (default true
 * for Firebase issuers). When {@code FIREBASE_AUTH_EMULATOR_HOST} is set, and only then, unsigned
 * Firebase Auth emulator tokens for the project are accepted too.
 *
 * <pre>{@code
 * User user = userAuth.authenticate(request); // or a 401 problem
 * }</pre>
 */
public final class UserAuth {
  public static final String FIREBASE_CERTS =
      "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com";

  private final TokenVerifier signed;
  private final Optional<TokenVerifier> emulator;

  public UserAuth(TokenVerifier signed, Optional<TokenVerifier> emulator) {
    this.signed = signed;
    this.emulator = emulator;
  }

  public static UserAuth fromEnv(Env env) {
    return fromEnv(env, Clock.systemUTC());
  }

  static UserAuth fromEnv(Env env, Clock clock) {
    String project = env.projectId();
    String issuer = env.get("AUTH_ISSUER", TokenPolicy.FIREBASE_ISSUER_PREFIX + project);
    TokenPolicy policy =
        new TokenPolicy(
            Set.of(issuer),
            env.get("AUTH_AUDIENCE", project),
            env.getBoolean(
                "AUTH_REQUIRE_AUTH_TIME", issuer.startsWith(TokenPolicy.FIREBASE_ISSUER_PREFIX)),
            Duration.ofMinutes(1));
    TokenVerifier signed =
        new TokenVerifier(
            policy, new RemoteKeySet(env.get("AUTH_JWKS_URL", FIREBASE_CERTS)), clock);
    Optional<TokenVerifier> emulator =
        env.optional("FIREBASE_AUTH_EMULATOR_HOST")
            .map(host -> TokenVerifier.acceptingUnsigned(TokenPolicy.firebase(project), clock));
    return new UserAuth(signed, emulator);
  }

  /** The request's user, or a 401 (503 when keys are unavailable) problem. */
  public User authenticate(HttpRequest request) {
    String token = BearerToken.from(request);
    TokenVerifier verifier = emulator.filter(e -> BearerToken.isUnsigned(token)).orElse(signed);
    try {
      VerifiedToken verified = verifier.verify(token);
      return new User(verified.subject(), verified.email());
    } catch (InvalidTokenException e) {
      throw BearerToken.invalid(e.getMessage());
    } catch (KeysUnavailableException e) {
      throw BearerToken.keysUnavailable();
    }
  }
}
