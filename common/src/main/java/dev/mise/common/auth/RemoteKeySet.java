package dev.mise.common.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public keys fetched from a URL, in either format Google publishes: a JWK Set ({@code
 * {"keys":[{"kid","kty":"RSA","n","e"}]}}, as {@code https://www.googleapis.com/oauth2/v3/certs}
 * and most OIDC providers serve) or a map of key id to X.509 PEM certificate (Firebase's {@code
 * securetoken@system.gserviceaccount.com} document). Fetched on first use, kept for the response's
 * {@code Cache-Control: max-age}, and fetched again early (at most once a minute) when a token
 * names a key id not in the set, which is how key rotation shows up.
 */
public final class RemoteKeySet implements KeySet {
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
  private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
  private static final Duration MIN_REFETCH = Duration.ofMinutes(1);

  private final URI uri;
  private final Clock clock;
  private HttpClient client;
  private Map<String, PublicKey> keys = Map.of();
  private Instant expires = Instant.MIN;
  private Instant fetched = Instant.MIN;
  private int fetches;

  public RemoteKeySet(String url) {
    this(URI.create(url), Clock.systemUTC());
  }

  public RemoteKeySet(URI uri, Clock clock) {
    this.uri = uri;
    this.clock = clock;
  }

  @Override
  public synchronized Optional<PublicKey> find(String keyId) {
    Instant now = clock.instant();
    boolean stale = !now.isBefore(expires);
    boolean unknown = !keys.containsKey(keyId) && !now.isBefore(fetched.plus(MIN_REFETCH));
    if (stale || unknown) {
      fetch(now);
    }
    return Optional.ofNullable(keys.get(keyId));
  }

  /** How many times the keys were fetched (for tests and logs). */
  public synchronized int fetches() {
    return fetches;
  }

  private void fetch(Instant now) {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    fetches++;
    fetched = now;
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new KeysUnavailableException(
            "key set " + uri + " answered " + response.statusCode(), null);
      }
      keys = parse(response.body());
      expires = now.plus(maxAge(response.headers().firstValue("Cache-Control").orElse("")));
    } catch (IOException e) {
      throw new KeysUnavailableException("cannot fetch key set " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeysUnavailableException("interrupted fetching " + uri, e);
    }
  }

  static Duration maxAge(String cacheControl) {
    Matcher m = MAX_AGE.matcher(cacheControl);
    if (cacheControl.contains("no-store") || cacheControl.contains("no-cache")) {
      return Duration.ZERO;
    }
    return m.find() ? Duration.ofSeconds(Long.parseLong(m.group(1))) : DEFAULT_TTL;
  }

  static Map<String, PublicKey> parse(String body) {
    try {
      JsonObject json = JsonParser.parseString(body).getAsJsonObject();
      Map<String, PublicKey> result = new HashMap<>();
      if (json.has("keys") && json.get("keys").isJsonArray()) {
        for (JsonElement key : json.getAsJsonArray("keys")) {
          JsonObject jwk = key.getAsJsonObject();
          if (jwk.has("kid") && "RSA".equals(text(jwk, "kty"))) {
            result.put(text(jwk, "kid"), rsaKey(text(jwk, "n"), text(jwk, "e")));
          }
        }
      } else {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
          byte[] pem = entry.getValue().getAsString().getBytes(StandardCharsets.US_ASCII);
          result.put(
              entry.getKey(),
              x509.generateCertificate(new ByteArrayInputStream(pem)).getPublicKey());
        }
      }
      return Map.copyOf(result);
    } catch (GeneralSecurityException
        | JsonParseException
        | IllegalStateException
        | IllegalArgumentException
        | ClassCastException e) {
      throw new KeysUnavailableException("the key set is not a JWK Set or certificate map", e);
    }
  }

  private static PublicKey rsaKey(String n, String e) throws GeneralSecurityException {
    Base64.Decoder decoder = Base64.getUrlDecoder();
    return KeyFactory.getInstance("RSA")
        .generatePublic(
            new RSAPublicKeySpec(
                new BigInteger(1, decoder.decode(n)), new BigInteger(1, decoder.decode(e))));
  }

  private static String text(JsonObject json, String name) {
    JsonElement value = json.get(name);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }
}
