package dev.mise.emulators.stack;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.emulators.google.CloudSdk;
import dev.mise.emulators.google.LocalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The fallback for machines without gcloud's emulator components: firebase-tools (installed from
 * {@code emulators/package-lock.json}) runs the same Firestore and Pub/Sub emulators, downloading
 * their jars on a connected machine. It reads a copy of {@code emulators/firebase.json} with the
 * stack's actual ports.
 */
final class FirebaseToolsEmulators {
  private static final Duration STARTUP = Duration.ofMinutes(3);

  private FirebaseToolsEmulators() {}

  /** True when gcloud can run neither emulator, so firebase-tools must. */
  static boolean needed() {
    return CloudSdk.gcloud().isEmpty()
        && (CloudSdk.firestoreJar().isEmpty() || CloudSdk.pubsubJar().isEmpty());
  }

  static LocalProcess start(Path root, StackConfig config, Path run, Path log) throws IOException {
    Path firebase = root.resolve("emulators/node_modules/.bin/firebase");
    if (!Files.isExecutable(firebase)) {
      throw new IOException(
          "neither gcloud's emulators nor firebase-tools are installed: install gcloud with the"
              + " cloud-firestore-emulator and pubsub-emulator components, or run `npm ci` in"
              + " emulators/");
    }
    JsonObject json =
        JsonParser.parseString(Files.readString(root.resolve("emulators/firebase.json")))
            .getAsJsonObject();
    JsonObject emulators = json.getAsJsonObject("emulators");
    emulators.getAsJsonObject("firestore").addProperty("port", config.firestorePort());
    emulators.getAsJsonObject("pubsub").addProperty("port", config.pubsubPort());
    Path copy = run.resolve("firebase.json");
    Files.writeString(copy, json.toString());
    LocalProcess process =
        LocalProcess.start(
            "firebase-emulators",
            List.of(
                firebase.toString(),
                "emulators:start",
                "--only",
                "firestore,pubsub",
                "--project",
                config.projectId(),
                "--config",
                copy.toString()),
            Map.of("FIREBASE_CLI_DISABLE_UPDATE_CHECK", "true"),
            log);
    process.awaitReady(
        () ->
            LocalProcess.answersOk("http://127.0.0.1:" + config.firestorePort() + "/")
                && LocalProcess.answersOk("http://127.0.0.1:" + config.pubsubPort() + "/"),
        STARTUP);
    return process;
  }
}
