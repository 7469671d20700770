package dev.mise.emulators.google;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalProcessTest {

  @Test
  void stopEndsTheWholeProcessTree() throws Exception {
    // A wrapper with children, like gcloud (python) -> bash -> java.
    LocalProcess wrapper =
        LocalProcess.start(
            "tree", List.of("sh", "-c", "sleep 300 & sleep 300 & echo started; wait"), Map.of());
    wrapper.awaitReady(() -> wrapper.logTail().contains("started"), Duration.ofSeconds(10));
    List<ProcessHandle> tree = ProcessHandle.of(wrapper.pid()).orElseThrow().descendants().toList();
    assertEquals(2, tree.size());

    wrapper.stop();

    assertFalse(wrapper.isAlive());
    for (ProcessHandle child : tree) {
      child.onExit().get(); // would hang if a child survived
      assertFalse(child.isAlive());
    }
    assertFalse(Files.exists(wrapper.log()), "the temp log is removed");
  }

  @Test
  void awaitReadyFailsAtOnceWithTheLogWhenTheProcessDies() {
    LocalProcess dying =
        LocalProcess.start("dying", List.of("sh", "-c", "echo cannot bind port; exit 3"), Map.of());

    IllegalStateException failure =
        assertThrows(
            IllegalStateException.class,
            () -> dying.awaitReady(() -> false, Duration.ofSeconds(60)));

    assertTrue(failure.getMessage().contains("exited with 3"), failure.getMessage());
    assertTrue(failure.getMessage().contains("cannot bind port"), failure.getMessage());
  }

  @Test
  void theChildGetsTheExtraEnvironment() {
    LocalProcess child =
        LocalProcess.start(
            "env",
            List.of("sh", "-c", "echo project=$GOOGLE_CLOUD_PROJECT"),
            Map.of("GOOGLE_CLOUD_PROJECT", "demo-x"));
    child.awaitReady(() -> child.logTail().contains("project="), Duration.ofSeconds(10));
    assertTrue(child.logTail().contains("project=demo-x"));
    child.stop();
  }
}
