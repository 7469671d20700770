package dev.mise.emulators.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {
  private static final Path EMULATORS = Path.of("").toAbsolutePath().resolve("../emulators");

  private static StackConfig load(Map<String, String> env) throws Exception {
    return StackConfig.load(EMULATORS.normalize(), env);
  }

  @Test
  void portsComeFromFirebaseJsonAndStackJson() throws Exception {
    StackConfig config = load(Map.of());
    assertEquals("demo-mise", config.projectId());
    assertEquals(8080, config.firestorePort());
    assertEquals(8085, config.pubsubPort());
    assertEquals(8123, config.tasksPort());
    assertEquals(8124, config.geminiPort());
    assertEquals(8090, config.assetsPort());
    assertEquals(8787, config.edgePort());
    assertEquals(8101, config.functionPort(8101));
  }

  @Test
  void anOffsetShiftsEveryPortTheFunctionsToo() throws Exception {
    StackConfig config = load(Map.of("MISE_PORT_OFFSET", "1000", "MISE_EDGE_PORT", "9999"));
    assertEquals(9080, config.firestorePort());
    assertEquals(9124, config.geminiPort());
    assertEquals(9101, config.functionPort(8101));
    assertEquals(9999, config.edgePort(), "an explicit port wins over the offset");
  }

  @Test
  void aMalformedPortNamesItsVariable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> load(Map.of("MISE_FIRESTORE_PORT", "eighty")));
    assertTrue(e.getMessage().contains("MISE_FIRESTORE_PORT"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> load(Map.of("MISE_PORT_OFFSET", "x")));
    assertTrue(e.getMessage().contains("MISE_PORT_OFFSET"), e.getMessage());
  }
}
