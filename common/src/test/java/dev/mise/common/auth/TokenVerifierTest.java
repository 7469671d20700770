package dev.mise.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mise.common.testing.MovableClock;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final String PROJECT = "demo-mise";
  private static KeyPair keys;

  private final MovableClock clock = new MovableClock(NOW);
  private TestKeys.KeyServer server;
  private TokenVerifier verifier;

  @BeforeAll
  static void generate() throws Exception {
    keys = TestKeys.rsa(2048);
  }

  @BeforeEach
  void start() throws Exception {
    server = new TestKeys.KeyServer();
    server.body.set(TestKeys.jwks("k1", (RSAPublicKey) keys.getPublic()));
    verifier =
        new TokenVerifier(
            TokenPolicy.firebase(PROJECT),
            new RemoteKeySet(URI.create(server.url()), clock),
            clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static JsonObject claims(Consumer<JsonObject> change) {
    JsonObject claims = new JsonObject();
    claims.addProperty("iss", "https://securetoken.google.com/" + PROJECT);
    claims.addProperty("aud", PROJECT);
    claims.addProperty("sub", "alice");
    claims.addProperty("iat", NOW.getEpochSecond() - 10);
    claims.addProperty("auth_time", NOW.getEpochSecond() - 100);
    claims.addProperty("exp", NOW.getEpochSecond() + 3600);
    claims.addProperty("email", "alice@example.com");
    change.accept(claims);
    return claims;
  }

  private String token(Consumer<JsonObject> change) throws Exception {
    return TestKeys.sign("k1", keys.getPrivate(), claims(change));
  }

  private String refusal(String token) {
    return assertThrows(InvalidTokenException.class, () -> verifier.verify(token)).getMessage();
  }

  @Test
  void acceptsAGoodTokenAndCachesTheKeys() throws Exception {
    VerifiedToken verified = verifier.verify(token(c -> {}));
    assertEquals("alice", verified.subject());
    assertEquals("alice@example.com", verified.email().orElseThrow());
    verifier.verify(token(c -> c.addProperty("sub", "bob")));
    assertEquals(1, server.requests.get());
  }

  @Test
  void refusesEachBrokenClaim() throws Exception {
    assertEquals(
        "token expired", refusal(token(c -> c.addProperty("exp", NOW.getEpochSecond() - 61))));
    assertEquals(
        "token issued in the future",
        refusal(token(c -> c.addProperty("iat", NOW.getEpochSecond() + 600))));
    assertEquals(
        "auth_time in the future",
        refusal(token(c -> c.addProperty("auth_time", NOW.getEpochSecond() + 600))));
    assertEquals("token has no auth_time", refusal(token(c -> c.remove("auth_time"))));
    assertEquals("token has no valid subject", refusal(token(c -> c.addProperty("sub", ""))));
    assertEquals("token has no valid subject", refusal(token(c -> c.remove("sub"))));
    assertEquals("wrong audience", refusal(token(c -> c.addProperty("aud", "other-project"))));
    assertEquals(
        "wrong issuer",
        refusal(token(c -> c.addProperty("iss", "https://securetoken.google.com/other"))));
    assertEquals("token has no expiry", refusal(token(c -> c.remove("exp"))));
    assertEquals(
        "token not valid yet",
        refusal(token(c -> c.addProperty("nbf", NOW.getEpochSecond() + 600))));
  }

  @Test
  void acceptsAnAudienceArrayThatContainsOurs() throws Exception {
    JsonArray audiences = new JsonArray();
    audiences.add("other");
    audiences.add(PROJECT);
    assertEquals("alice", verifier.verify(token(c -> c.add("aud", audiences))).subject());
  }

  @Test
  void refusesForgedTamperedAndUnsignedTokens() throws Exception {
    String good = token(c -> {});
    String[] parts = good.split("\\.");
    String tampered =
        parts[0]
            + "."
            + TestKeys.encode(claims(c -> c.addProperty("sub", "mallory")))
            + "."
            + parts[2];
    assertEquals("bad signature", refusal(tampered));

    KeyPair other = TestKeys.rsa(2048);
    assertEquals(
        "bad signature", refusal(TestKeys.sign("k1", other.getPrivate(), claims(c -> {}))));
    assertEquals(
        "unknown signing key", refusal(TestKeys.sign("k9", keys.getPrivate(), claims(c -> {}))));
    assertEquals(
        "token has no key id", refusal(TestKeys.sign(null, keys.getPrivate(), claims(c -> {}))));

    String unsigned = LocalToken.forUser("alice", PROJECT, NOW, Duration.ofHours(1));
    assertEquals("unsupported algorithm", refusal(unsigned));
    JsonObject hs = new JsonObject();
    hs.addProperty("alg", "HS256");
    hs.addProperty("kid", "k1");
    assertEquals(
        "unsupported algorithm",
        refusal(TestKeys.encode(hs) + "." + TestKeys.encode(claims(c -> {})) + ".c2ln"));
    assertEquals("malformed token", refusal("not-a-jwt"));
    assertEquals("malformed token", refusal("a.b.c.d"));
  }

  @Test
  void unknownKeyIdsRefetchAtMostOnceAMinute() throws Exception {
    verifier.verify(token(c -> {}));
    KeyPair rotated = TestKeys.rsa(2048);
    String byNewKey = TestKeys.sign("k2", rotated.getPrivate(), claims(c -> {}));
    assertEquals("unknown signing key", refusal(byNewKey));
    assertEquals(1, server.requests.get(), "no refetch within a minute of the last fetch");

    server.body.set(TestKeys.jwks("k2", (RSAPublicKey) rotated.getPublic()));
    clock.advance(Duration.ofSeconds(61));
    assertEquals("alice", verifier.verify(byNewKey).subject());
    assertEquals(2, server.requests.get());
  }

  @Test
  void honoursCacheControlMaxAge() throws Exception {
    server.cacheControl.set("public, max-age=120");
    verifier.verify(token(c -> {}));
    clock.advance(Duration.ofSeconds(100));
    verifier.verify(token(c -> {}));
    assertEquals(1, server.requests.get());
    clock.advance(Duration.ofSeconds(30));
    verifier.verify(token(c -> {}));
    assertEquals(2, server.requests.get());
  }

  @Test
  void unreachableKeysAreAnOutageNotARefusal() throws Exception {
    server.status.set(500);
    assertThrows(KeysUnavailableException.class, () -> verifier.verify(token(c -> {})));
  }

  @Test
  void readsGoogleStyleCertificateMaps(@TempDir Path dir) throws Exception {
    TestKeys.CertifiedKey certified = TestKeys.selfSigned(dir);
    JsonObject map = new JsonObject();
    map.addProperty("c1", certified.pem());
    server.body.set(map.toString());
    assertEquals(
        "alice", verifier.verify(TestKeys.sign("c1", certified.key(), claims(c -> {}))).subject());
  }

  @Test
  void refusesShortKeys() throws Exception {
    KeyPair weak = TestKeys.rsa(1024);
    server.body.set(TestKeys.jwks("k1", (RSAPublicKey) weak.getPublic()));
    assertEquals(
        "unsuitable signing key", refusal(TestKeys.sign("k1", weak.getPrivate(), claims(c -> {}))));
  }
}
