package dev.mise.emulators.google;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the Google Cloud SDK the emulators come from: {@code CLOUDSDK_ROOT_DIR} when set, else the
 * installation behind the {@code gcloud} on {@code PATH}. The launchers run the emulators' jars
 * directly with the build's JDK when they are there: it saves gcloud's Python start (about 0.4 s
 * per emulator here) and its warning about old JREs, and leaves one process to stop instead of
 * three.
 */
public final class CloudSdk {

  private CloudSdk() {}

  /** The SDK's root folder (the one holding {@code bin/gcloud} and {@code platform/}). */
  static Optional<Path> root() {
    String configured = System.getenv("CLOUDSDK_ROOT_DIR");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    return gcloud().map(CloudSdk::realPath).map(gcloud -> gcloud.getParent().getParent());
  }

  /** The {@code gcloud} launcher on {@code PATH}. */
  public static Optional<Path> gcloud() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "gcloud"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** gcloud's Firestore emulator jar, when that component is installed. */
  public static Optional<Path> firestoreJar() {
    return root()
        .map(r -> r.resolve("platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"))
        .filter(Files::isRegularFile);
  }

  /** gcloud's Pub/Sub emulator jar ({@code cloud-pubsub-emulator-<version>-all.jar}). */
  public static Optional<Path> pubsubJar() {
    return root()
        .map(r -> r.resolve("platform/pubsub-emulator/lib"))
        .filter(Files::isDirectory)
        .flatMap(
            lib -> {
              try (Stream<Path> files = Files.list(lib)) {
                return files
                    .filter(
                        f -> f.getFileName().toString().matches("cloud-pubsub-emulator-.*\\.jar"))
                    .sorted()
                    .reduce((first, second) -> second);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath();
    }
  }
}
