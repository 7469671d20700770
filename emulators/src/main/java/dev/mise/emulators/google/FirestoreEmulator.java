package dev.mise.emulators.google;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * gcloud's Firestore emulator as a child process on a free 127.0.0.1 port, or an emulator that is
 * already running ({@link #attach}). Clients reach it through {@code FIRESTORE_EMULATOR_HOST=}
 * {@link #host()}; {@link #reset} empties one project between tests.
 *
 * <pre>{@code
 * try (FirestoreEmulator firestore = FirestoreEmulator.start()) {
 *   env.put("FIRESTORE_EMULATOR_HOST", firestore.host());
 *   ...
 * }
 * }</pre>
 */
public final class FirestoreEmulator extends GcloudEmulator {

  public static final String HOST_VARIABLE = "FIRESTORE_EMULATOR_HOST";
  private static final String MAIN_CLASS =
      "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

  private FirestoreEmulator(String host, LocalProcess process) {
    super("Firestore emulator", host, process);
  }

  /** Starts an emulator on a free port and returns once it answers. */
  public static FirestoreEmulator start() {
    return start(LocalProcess.freePort());
  }

  /** Starts an emulator on the given 127.0.0.1 port and returns once it answers. */
  public static FirestoreEmulator start(int port) {
    return start(port, null);
  }

  /**
   * Starts an emulator on the given 127.0.0.1 port, appending its output to {@code log} (a temp
   * file when null), and returns once it answers.
   */
  public static FirestoreEmulator start(int port, java.nio.file.Path log) {
    LocalProcess process =
        EmulatorLaunch.start(
            "firestore-emulator",
            port,
            log,
            CloudSdk.firestoreJar()
                .map(
                    jar ->
                        List.of(
                            "-cp",
                            jar.toString(),
                            MAIN_CLASS,
                            "start",
                            "--host=127.0.0.1",
                            "--port=" + port,
                            "--database-mode=firestore-native")),
            List.of("emulators", "firestore", "start", "--host-port=127.0.0.1:" + port),
            "No Firestore emulator: install gcloud with its cloud-firestore-emulator component,"
                + " or set "
                + HOST_VARIABLE
                + " to a running one");
    return new FirestoreEmulator(EmulatorLaunch.host(port), process);
  }

  /** An emulator someone else runs (e.g. from {@code FIRESTORE_EMULATOR_HOST}); never stopped. */
  public static FirestoreEmulator attach(String host) {
    return new FirestoreEmulator(host, null);
  }

  /** Deletes every document of the project's default database. */
  public void reset(String projectId) {
    URI uri =
        URI.create(
            "http://"
                + host()
                + "/emulator/v1/projects/"
                + projectId
                + "/databases/(default)/documents");
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).DELETE().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Firestore emulator reset answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Firestore emulator at " + host() + " unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
