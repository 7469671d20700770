package dev.mise.common.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Optional;

/** The claims of a token that passed every check. */
public record VerifiedToken(String subject, JsonObject claims) {

  /** A string claim. */
  public Optional<String> claim(String name) {
    JsonElement value = claims.get(name);
    return value != null && value.isJsonPrimitive()
        ? Optional.of(value.getAsString())
        : Optional.empty();
  }

  public Optional<String> email() {
    return claim("email");
  }

  public boolean emailVerified() {
    JsonElement value = claims.get("email_verified");
    return value != null
        && value.isJsonPrimitive()
        && (value.getAsJsonPrimitive().isBoolean()
            ? value.getAsBoolean()
            : "true".equals(value.getAsString()));
  }
}
