package dev.mise.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.mise.common.config.Env;
import dev.mise.common.http.ProblemException;
import dev.mise.common.testing.FakeHttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticatorsTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String TASKS_SA = "mise-invoker@demo-mise.iam.gserviceaccount.com";
  private static final String AUDIENCE = "http://127.0.0.1:8113/";

  private static FakeHttpRequest bearer(String token) {
    return FakeHttpRequest.post("/x").header("Authorization", "Bearer " + token);
  }

  private static UserAuth users(Map<String, String> extra) {
    Map<String, String> vars =
        new HashMap<>(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "demo-mise", "AUTH_JWKS_URL", "http://127.0.0.1:9/unused"));
    vars.putAll(extra);
    return UserAuth.fromEnv(new Env(vars), CLOCK);
  }

  private static InternalAuth internal(Map<String, String> extra) {
    Map<String, String> vars =
        new HashMap<>(
            Map.of(
                "INTERNAL_AUTH_AUDIENCE", AUDIENCE,
                "INTERNAL_AUTH_SERVICE_ACCOUNT", TASKS_SA,
                "INTERNAL_AUTH_JWKS_URL", "http://127.0.0.1:9/unused"));
    vars.putAll(extra);
    return InternalAuth.fromEnv(new Env(vars), CLOCK);
  }

  /** What the Cloud Tasks emulator sends: unsigned, Google's issuer, the task's audience. */
  private static String tasksEmulatorToken(String email, String audience) {
    JsonObject header = new JsonObject();
    header.addProperty("alg", "none");
    header.addProperty("typ", "JWT");
    JsonObject claims = new JsonObject();
    claims.addProperty("iss", "https://accounts.google.com");
    claims.addProperty("aud", audience);
    claims.addProperty("azp", "123456789012345678901");
    claims.addProperty("sub", "123456789012345678901");
    claims.addProperty("email", email);
    claims.addProperty("email_verified", true);
    claims.addProperty("iat", NOW.getEpochSecond());
    claims.addProperty("exp", NOW.getEpochSecond() + 3600);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  private static ProblemException refused(Runnable call) {
    return assertThrows(ProblemException.class, call::run);
  }

  @Test
  void missingTokenIs401WithABareChallenge() {
    ProblemException e = refused(() -> users(Map.of()).authenticate(FakeHttpRequest.get("/x")));
    assertEquals(401, e.problem().status());
    assertEquals("Bearer realm=\"mise\"", e.headers().get("WWW-Authenticate"));
    e =
        refused(
            () ->
                users(Map.of())
                    .authenticate(FakeHttpRequest.get("/x").header("Authorization", "Basic YTpi")));
    assertEquals(401, e.problem().status());
  }

  @Test
  void emulatorTokensPassOnlyWhenTheEmulatorIsConfigured() {
    String token = LocalToken.forUser("alice", "demo-mise", NOW, Duration.ofHours(1));
    ProblemException e = refused(() -> users(Map.of()).authenticate(bearer(token)));
    assertEquals(401, e.problem().status());
    assertTrue(e.headers().get("WWW-Authenticate").contains("error=\"invalid_token\""));

    User user =
        users(Map.of("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")).authenticate(bearer(token));
    assertEquals("alice", user.uid());
  }

  @Test
  void expiredAndForeignProjectEmulatorTokensAreRefusedEvenWithTheEmulator() {
    UserAuth auth = users(Map.of("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099"));
    String expired =
        LocalToken.forUser(
            "alice", "demo-mise", NOW.minus(Duration.ofHours(3)), Duration.ofHours(1));
    assertEquals(401, refused(() -> auth.authenticate(bearer(expired))).problem().status());
    String foreign = LocalToken.forUser("alice", "someone-else", NOW, Duration.ofHours(1));
    assertEquals(401, refused(() -> auth.authenticate(bearer(foreign))).problem().status());
  }

  @Test
  void signedTokensFromAConfiguredOidcIssuer() throws Exception {
    KeyPair keys = TestKeys.rsa(2048);
    try (TestKeys.KeyServer server = new TestKeys.KeyServer()) {
      server.body.set(TestKeys.jwks("clerk-1", (RSAPublicKey) keys.getPublic()));
      UserAuth auth =
          users(
              Map.of(
                  "AUTH_ISSUER", "https://clerk.example.dev",
                  "AUTH_AUDIENCE", "mise-app",
                  "AUTH_JWKS_URL", server.url()));
      JsonObject claims = new JsonObject();
      claims.addProperty("iss", "https://clerk.example.dev");
      claims.addProperty("aud", "mise-app");
      claims.addProperty("sub", "user_2abc");
      claims.addProperty("iat", NOW.getEpochSecond());
      claims.addProperty("exp", NOW.getEpochSecond() + 60);
      assertEquals(
          "user_2abc",
          auth.authenticate(bearer(TestKeys.sign("clerk-1", keys.getPrivate(), claims))).uid());

      String signed = TestKeys.sign("clerk-1", keys.getPrivate(), claims);
      server.status.set(503);
      server.body.set("{}");
      // a new key id forces a refetch only after a minute; an unreachable key set is a 503
      UserAuth fresh =
          users(
              Map.of(
                  "AUTH_ISSUER",
                  "https://clerk.example.dev",
                  "AUTH_AUDIENCE",
                  "mise-app",
                  "AUTH_JWKS_URL",
                  server.url()));
      assertEquals(503, refused(() -> fresh.authenticate(bearer(signed))).problem().status());
    }
  }

  @Test
  void internalEndpointsTakeOnlyTheTaskServiceAccountsToken() {
    Map<String, String> local = Map.of("CLOUD_TASKS_EMULATOR_HOST", "127.0.0.1:8123");
    assertEquals(
        TASKS_SA,
        internal(local)
            .authenticate(bearer(tasksEmulatorToken(TASKS_SA, AUDIENCE)))
            .email()
            .orElseThrow());

    assertEquals(
        403,
        refused(
                () ->
                    internal(local)
                        .authenticate(
                            bearer(
                                tasksEmulatorToken(
                                    "intruder@x.iam.gserviceaccount.com", AUDIENCE))))
            .problem()
            .status());
    assertEquals(
        401,
        refused(
                () ->
                    internal(local)
                        .authenticate(bearer(tasksEmulatorToken(TASKS_SA, "http://elsewhere/"))))
            .problem()
            .status());
    // without the emulator variable an unsigned token is worthless
    assertEquals(
        401,
        refused(
                () ->
                    internal(Map.of()).authenticate(bearer(tasksEmulatorToken(TASKS_SA, AUDIENCE))))
            .problem()
            .status());
    // a user's token is not an internal caller's
    String userToken = LocalToken.forUser("alice", "demo-mise", NOW, Duration.ofHours(1));
    assertEquals(
        401, refused(() -> internal(local).authenticate(bearer(userToken))).problem().status());
  }
}
