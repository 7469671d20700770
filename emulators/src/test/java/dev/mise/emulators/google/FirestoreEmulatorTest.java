package dev.mise.emulators.google;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shared Firestore emulator answers the REST API on 127.0.0.1 and resets per project. */
@Tag("emulator")
class FirestoreEmulatorTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void resetEmptiesOneProjectAndLeavesTheOthers() throws Exception {
    FirestoreEmulator firestore = SharedEmulators.firestore();
    assertTrue(
        firestore.host().startsWith("127.0.0.1:")
            || System.getenv("FIRESTORE_EMULATOR_HOST") != null);
    write(firestore, "demo-reset-a", "things", "one");
    write(firestore, "demo-reset-b", "things", "one");

    firestore.reset("demo-reset-a");

    assertEquals(404, read(firestore, "demo-reset-a", "things", "one"));
    assertEquals(200, read(firestore, "demo-reset-b", "things", "one"));
  }

  private void write(FirestoreEmulator firestore, String project, String collection, String id)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(documents(firestore, project) + collection + "?documentId=" + id))
                .header("Authorization", "Bearer owner")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"fields\":{\"a\":{\"stringValue\":\"b\"}}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
  }

  private int read(FirestoreEmulator firestore, String project, String collection, String id)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create(documents(firestore, project) + collection + "/" + id))
                .header("Authorization", "Bearer owner")
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String documents(FirestoreEmulator firestore, String project) {
    return "http://"
        + firestore.host()
        + "/v1/projects/"
        + project
        + "/databases/(default)/documents/";
  }
}
