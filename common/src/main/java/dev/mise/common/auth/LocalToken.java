package dev.mise.common.auth;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Prints a Firebase-Auth-emulator-style ID token (unsigned, {@code alg: none}) for a user id, the
 * kind {@link UserAuth} accepts only when {@code FIREBASE_AUTH_EMULATOR_HOST} is set. For the local
 * stack and tests; worthless anywhere else.
 *
 * <pre>
 * java -cp common/target/classes:... dev.mise.common.auth.LocalToken alice [project] [minutes]
 * </pre>
 */
public final class LocalToken {
  private LocalToken() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 3 || !args[0].matches("[A-Za-z0-9_.@-]{1,128}")) {
      System.err.println("usage: LocalToken USER_ID [PROJECT_ID] [MINUTES]");
      System.exit(2);
    }
    String project =
        args.length > 1 ? args[1] : System.getenv().getOrDefault("MISE_PROJECT_ID", "demo-mise");
    Duration life = Duration.ofMinutes(args.length > 2 ? Long.parseLong(args[2]) : 60);
    System.out.println(forUser(args[0], project, Instant.now(), life));
  }

  /** An emulator token for the user, issued at {@code now}, valid for {@code life}. */
  public static String forUser(String uid, String project, Instant now, Duration life) {
    JsonObject header = new JsonObject();
    header.addProperty("alg", "none");
    header.addProperty("typ", "JWT");
    JsonObject claims = new JsonObject();
    claims.addProperty("iss", TokenPolicy.FIREBASE_ISSUER_PREFIX + project);
    claims.addProperty("aud", project);
    claims.addProperty("auth_time", now.getEpochSecond());
    claims.addProperty("user_id", uid);
    claims.addProperty("sub", uid);
    claims.addProperty("iat", now.getEpochSecond());
    claims.addProperty("exp", now.plus(life).getEpochSecond());
    claims.addProperty("email", uid + "@example.com");
    claims.addProperty("email_verified", true);
    JsonObject firebase = new JsonObject();
    firebase.add("identities", new JsonObject());
    firebase.addProperty("sign_in_provider", "password");
    claims.add("firebase", firebase);
    return encode(header) + "." + encode(claims) + ".";
  }

  /**
   * A token like the local Cloud Tasks emulator sends for a task with an OIDC token: unsigned,
   * Google's issuer, the task's audience and service account. {@link InternalAuth} accepts it only
   * when {@code CLOUD_TASKS_EMULATOR_HOST} is set.
   */
  public static String forServiceAccount(
      String email, String audience, Instant now, Duration life) {
    JsonObject header = new JsonObject();
    header.addProperty("alg", "none");
    header.addProperty("typ", "JWT");
    JsonObject claims = new JsonObject();
    claims.addProperty("iss", "https://accounts.google.com");
    claims.addProperty("aud", audience);
    claims.addProperty("sub", "1" + String.format("%020d", Math.abs((long) email.hashCode())));
    claims.addProperty("email", email);
    claims.addProperty("email_verified", true);
    claims.addProperty("iat", now.getEpochSecond());
    claims.addProperty("exp", now.plus(life).getEpochSecond());
    return encode(header) + "." + encode(claims) + ".";
  }

  private static String encode(JsonObject json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }
}
