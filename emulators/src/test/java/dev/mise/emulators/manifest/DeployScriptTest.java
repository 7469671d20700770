package dev.mise.emulators.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy.sh's refusals, which happen before it builds anything. */
class DeployScriptTest {

  private final Path root = Fixtures.repoRoot();

  @Test
  void refusesToRunWithoutAProject() throws Exception {
    Result result = run("--dry-run");
    assertEquals(2, result.exit());
    assertTrue(
        result
            .output()
            .startsWith(
                "deploy.sh: no Google Cloud project: pass --project=ID or set GOOGLE_CLOUD_PROJECT."),
        result.output());
  }

  @Test
  void refusesAnUnknownOption() throws Exception {
    Result result = run("--project=acme-prod", "--dryrun");
    assertEquals(2, result.exit());
    assertTrue(
        result.output().startsWith("deploy.sh: unknown option --dryrun\nUsage: ./deploy.sh"),
        result.output());
  }

  private record Result(int exit, String output) {}

  private Result run(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", root.resolve("deploy.sh").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("GOOGLE_CLOUD_PROJECT");
    builder.environment().remove("CLOUDSDK_CORE_PROJECT");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    return new Result(process.exitValue(), output);
  }
}
