package dev.mise.emulators.manifest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifest in the repository is valid and points at code that exists. */
class RealManifestTest {

  private final Path root = Fixtures.repoRoot();
  private final Manifest manifest = Manifest.load(root.resolve("functions/functions.json"));

  @Test
  void listsFunctions() {
    assertFalse(manifest.functions().isEmpty());
  }

  /** A renamed or moved class fails the build here, not at deploy time. */
  @Test
  void everyEntryPointIsASourceFileOfItsModule() {
    List<String> missing = new ArrayList<>();
    for (FunctionSpec fn : manifest.functions()) {
      Path source =
          root.resolve("functions")
              .resolve(fn.module())
              .resolve("src/main/java")
              .resolve(fn.entryPoint().replace('.', '/') + ".java");
      if (!Files.isRegularFile(source)) {
        missing.add(fn.name() + ": " + root.relativize(source));
      }
    }
    assertTrue(missing.isEmpty(), () -> "entry points without a source file: " + missing);
  }

  /** Without the {@code <module>} line, the module's deployable jar is never built. */
  @Test
  void everyModuleIsBuiltByTheFunctionsParent() throws IOException {
    String parentPom = Files.readString(root.resolve("functions/pom.xml"));
    List<String> missing = new ArrayList<>();
    for (FunctionSpec fn : manifest.functions()) {
      if (!Files.isRegularFile(root.resolve("functions").resolve(fn.module()).resolve("pom.xml"))
          || !parentPom.contains("<module>" + fn.module() + "</module>")) {
        missing.add(fn.name() + ": functions/" + fn.module());
      }
    }
    assertTrue(missing.isEmpty(), () -> "modules not built by functions/pom.xml: " + missing);
  }
}
