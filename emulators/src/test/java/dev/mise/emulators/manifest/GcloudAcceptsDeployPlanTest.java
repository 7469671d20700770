package dev.mise.emulators.manifest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every gcloud command the deploy plan prints passes gcloud's own argument parser. Each runs with a
 * throwaway configuration and no account: a command gcloud understands stops at the missing login
 * (exit 1), while a parser error (unknown flag, bad value) exits 2 and says which argument.
 * Commands that differ only in resource names (e.g. {@code topics describe A} and {@code B}) run
 * once: a gcloud start costs about a second. Skipped when gcloud is not installed.
 */
class GcloudAcceptsDeployPlanTest {

  private static final String NO_ACCOUNT = "You do not currently have an active account selected";
  private static final Set<String> VERBS =
      Set.of(
          "create",
          "update",
          "describe",
          "deploy",
          "enable",
          "add-iam-policy-binding",
          "add-invoker-policy-binding");
  private static final Set<String> NAME_FLAGS =
      Set.of(
          "--project",
          "--region",
          "--location",
          "--member",
          "--role",
          "--display-name",
          "--entry-point",
          "--source",
          "--service-account",
          "--trigger-service-account",
          "--topic",
          "--dead-letter-topic",
          "--collection-group",
          "--database");

  @Test
  void gcloudParsesEveryCommandOfThePlan(@TempDir Path configs) throws Exception {
    assumeTrue(onPath("gcloud"), "gcloud is not installed");

    Map<List<String>, List<String>> byShape = new LinkedHashMap<>();
    Manifest real = Manifest.load(Fixtures.repoRoot().resolve("functions/functions.json"));
    List<DeployPlan> plans =
        List.of(
            new DeployPlan(Fixtures.everything(), "acme-prod", "europe-west1", List.of(), true),
            new DeployPlan(real, "acme-prod", "europe-west1", List.of(), true));
    for (DeployPlan plan : plans) {
      for (PlanStep step : plan.steps()) {
        for (ShellCommand command : step.allCommands()) {
          List<String> argv = command.exampleArgv();
          byShape.putIfAbsent(shape(argv), argv);
        }
      }
    }

    // Two at a time: gcloud is a Python start-up of about a second, and the machine is shared.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<String>> verdicts = new ArrayList<>();
    int n = 0;
    for (List<String> argv : byShape.values()) {
      Path config = configs.resolve("config-" + n++);
      verdicts.add(pool.submit(() -> verdict(argv, config)));
    }
    pool.shutdown();
    List<String> rejected = new ArrayList<>();
    for (Future<String> verdict : verdicts) {
      String problem = verdict.get(5, TimeUnit.MINUTES);
      if (problem != null) {
        rejected.add(problem);
      }
    }
    System.out.println("gcloud parsed " + byShape.size() + " distinct plan commands");
    assertTrue(rejected.isEmpty(), () -> String.join("\n\n", rejected));
  }

  /** Null when gcloud stopped only at the missing login; otherwise what it said. */
  private static String verdict(List<String> argv, Path config)
      throws IOException, InterruptedException {
    Files.createDirectories(config);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("CLOUDSDK_") || k.startsWith("GOOGLE_"));
    env.put("CLOUDSDK_CONFIG", config.toString());
    env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    env.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
    env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
    // Off Google Cloud, looking for a metadata server only waits for a timeout.
    env.put("CLOUDSDK_CORE_CHECK_GCE_METADATA", "false");
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return String.join(" ", argv) + "\n  did not finish";
    }
    boolean onlyLogin =
        process.exitValue() == 1
            && output.contains(NO_ACCOUNT)
            && !output.contains("unrecognized arguments")
            && !output.contains("argument --")
            && !output.contains("Invalid choice");
    return onlyLogin
        ? null
        : String.join(" ", argv) + "\n  exit " + process.exitValue() + ": " + output.strip();
  }

  /**
   * The command with its resource names blanked: positional words after the verb, and the values of
   * flags gcloud takes as plain names (checked by the API, never by the parser; tried by hand with
   * nonsense values). Everything else, such as numbers, durations, dictionaries, index field
   * configs and topic names (which the parser does check), keeps its value.
   */
  private static List<String> shape(List<String> argv) {
    List<String> shape = new ArrayList<>();
    boolean afterVerb = false;
    for (String word : argv) {
      int eq = word.indexOf('=');
      if (afterVerb && !word.startsWith("-")) {
        shape.add("<name>");
      } else if (eq > 0 && NAME_FLAGS.contains(word.substring(0, eq))) {
        shape.add(word.substring(0, eq) + "=<name>");
      } else {
        shape.add(word);
      }
      afterVerb |= VERBS.contains(word);
    }
    return shape;
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
