package dev.mise.emulators.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test manifests, and the repository root for tests that read the real one. */
final class Fixtures {

  private Fixtures() {}

  /** {@code everything.json}: every field of the format, used once. */
  static String everythingJson() {
    try (InputStream in = Fixtures.class.getResourceAsStream("everything.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Manifest everything() {
    return Manifest.parse(everythingJson());
  }

  /** The folder holding {@code functions/functions.json}, found upwards from the module. */
  static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("functions/functions.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no functions/functions.json above " + Path.of("").toAbsolutePath());
  }
}
