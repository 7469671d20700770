package dev.mise.common.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A compact JWT split into its parts, not yet trusted: the header and claims as JSON, the bytes
 * that were signed and the signature. {@link TokenVerifier} decides whether to believe it.
 */
public final class Jwt {
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final JsonObject header;
  private final JsonObject claims;
  private final byte[] signedPart;
  private final byte[] signature;

  private Jwt(JsonObject header, JsonObject claims, byte[] signedPart, byte[] signature) {
    this.header = header;
    this.claims = claims;
    this.signedPart = signedPart;
    this.signature = signature;
  }

  /** Splits and decodes a token; any structural fault is an {@link InvalidTokenException}. */
  public static Jwt decode(String token) throws InvalidTokenException {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      throw new InvalidTokenException("malformed token");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw new InvalidTokenException("malformed token");
    }
    try {
      JsonObject header = object(token.substring(0, first));
      JsonObject claims = object(token.substring(first + 1, second));
      byte[] signature = BASE64URL.decode(token.substring(second + 1));
      byte[] signed = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
      return new Jwt(header, claims, signed, signature);
    } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
      throw new InvalidTokenException("malformed token");
    }
  }

  private static JsonObject object(String part) {
    JsonElement json =
        JsonParser.parseString(new String(BASE64URL.decode(part), StandardCharsets.UTF_8));
    return json.getAsJsonObject();
  }

  public JsonObject header() {
    return header.deepCopy();
  }

  public JsonObject claims() {
    return claims.deepCopy();
  }

  byte[] signedPart() {
    return signedPart.clone();
  }

  byte[] signature() {
    return signature.clone();
  }

  /** The {@code alg} header, or empty. */
  public String algorithm() {
    return headerString("alg").orElse("");
  }

  /** The {@code kid} header. */
  public Optional<String> keyId() {
    return headerString("kid");
  }

  private Optional<String> headerString(String name) {
    JsonElement value = header.get(name);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
        ? Optional.of(value.getAsString())
        : Optional.empty();
  }
}
