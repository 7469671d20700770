package dev.mise.emulators.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployPlanTest {

  private static final String PROJECT = "acme-prod";
  private static final String REGION = "europe-west1";

  private final Manifest manifest = Fixtures.everything();
  private final DeployPlan full = new DeployPlan(manifest, PROJECT, REGION, List.of(), true);

  @Test
  void createsWhatFunctionsNeedBeforeDeployingThem() {
    List<String> titles = full.steps().stream().map(PlanStep::title).toList();

    int apis = titles.indexOf("Enable the APIs mise uses");
    int firestore = titles.indexOf("Firestore database (default)");
    int topic = titles.indexOf("Pub/Sub topic photos-uploaded");
    int deadLetterTopic = titles.indexOf("Pub/Sub topic photos-uploaded-dead");
    int subscription = titles.indexOf("Pub/Sub subscription photos-uploaded-dead-keep");
    int queue = titles.indexOf("Cloud Tasks queue ocr-steps");
    int bucket = titles.indexOf("Storage bucket gs://acme-prod-assets");
    int firstDeploy = titles.indexOf("Deploy function ocr-upload");
    int lastDeploy = titles.indexOf("Deploy function job-auditor");
    int invoker =
        titles.indexOf("Let mise-invoker@acme-prod.iam.gserviceaccount.com call ocr-step");
    int edge = titles.indexOf("Deploy the edge (Cloudflare Worker)");

    assertEquals(0, apis);
    assertTrue(
        apis < firestore
            && firestore < topic
            && topic < deadLetterTopic
            && deadLetterTopic < subscription
            && subscription < queue
            && queue < bucket
            && bucket < firstDeploy
            && firstDeploy < lastDeploy
            && lastDeploy < invoker
            && invoker < edge,
        () -> String.join("\n", titles));
    assertEquals(titles.size() - 1, edge);
  }

  @Test
  void deploysEachFunctionWithItsSettings() {
    assertEquals(
        List.of(
            "gcloud",
            "functions",
            "deploy",
            "ocr-upload",
            "--gen2",
            "--runtime=java21",
            "--region=europe-west1",
            "--source=functions/ocr-status/target/deploy",
            "--entry-point=dev.mise.ocr.OcrUpload",
            "--memory=1Gi",
            "--timeout=60s",
            "--min-instances=0",
            "--max-instances=10",
            "--service-account=mise-functions@acme-prod.iam.gserviceaccount.com",
            "--trigger-http",
            "--no-allow-unauthenticated",
            // A value holds a comma, so gcloud is told to split on @ instead.
            "--set-env-vars=^@^GOOGLE_CLOUD_PROJECT=acme-prod@LOG_LEVEL=debug"
                + "@STEP_URL=https://europe-west1-acme-prod.cloudfunctions.net/ocr-step"
                + "@ALLOWED_TYPES=image/jpeg,image/png",
            "--set-secrets=GEMINI_API_KEY=gemini-api-key:latest",
            "--project=acme-prod"),
        deployArgv("ocr-upload"));
  }

  @Test
  void triggerDecidesTheTriggerFlagsAndWhoMayCall() {
    List<String> publicHttp = deployArgv("ocr-status");
    assertTrue(publicHttp.containsAll(List.of("--trigger-http", "--allow-unauthenticated")));
    assertTrue(publicHttp.containsAll(List.of("--min-instances=1", "--max-instances=3")));

    List<String> apiKey = deployArgv("ocr-export");
    assertTrue(apiKey.contains("--no-allow-unauthenticated"));
    assertTrue(
        apiKey.contains("--service-account=exporter@shared-infra-1.iam.gserviceaccount.com"));

    List<String> tasks = deployArgv("ocr-step");
    assertTrue(tasks.containsAll(List.of("--trigger-http", "--no-allow-unauthenticated")));
    assertTrue(tasks.contains("--timeout=1800s"));

    List<String> events = deployArgv("ocr-worker");
    assertTrue(
        events.containsAll(
            List.of(
                "--trigger-topic=photos-uploaded",
                "--retry",
                "--trigger-service-account=mise-invoker@acme-prod.iam.gserviceaccount.com",
                "--no-allow-unauthenticated")));
    assertFalse(events.contains("--trigger-http"));
    assertFalse(deployArgv("job-auditor").contains("--retry"));

    Set<String> invokable = new HashSet<>();
    for (PlanStep step : full.steps()) {
      if (step.commands().isEmpty()) {
        continue;
      }
      List<String> argv = step.commands().getFirst().exampleArgv();
      if (argv.subList(1, 3).equals(List.of("functions", "add-invoker-policy-binding"))) {
        assertTrue(
            argv.contains(
                "--member=serviceAccount:mise-invoker@acme-prod.iam.gserviceaccount.com"));
        invokable.add(argv.get(3));
      }
    }
    assertEquals(
        Set.of("ocr-upload", "ocr-export", "ocr-step", "ocr-worker", "job-auditor"), invokable);
  }

  @Test
  void deadLettersOfAnEventTriggerAreSetOnEventarcsSubscription() {
    PlanStep step = step("Dead letters of ocr-worker's trigger go to photos-uploaded-dead");
    List<ShellCommand> commands = step.allCommands();
    assertEquals(
        List.of(
            "gcloud",
            "pubsub",
            "subscriptions",
            "update",
            "projects/acme-prod/subscriptions/eventarc-europe-west1-ocr-worker-1-sub-1",
            "--dead-letter-topic=photos-uploaded-dead",
            "--max-delivery-attempts=7",
            "--project=acme-prod"),
        commands.get(0).exampleArgv());
    assertEquals(
        List.of(
            "gcloud",
            "eventarc",
            "triggers",
            "describe",
            "projects/acme-prod/locations/europe-west1/triggers/ocr-worker-1",
            "--format=value(transport.pubsub.subscription)",
            "--project=acme-prod"),
        commands.get(1).exampleArgv());
    assertEquals(
        List.of(
            "gcloud",
            "functions",
            "describe",
            "ocr-worker",
            "--region=europe-west1",
            "--format=value(eventTrigger.trigger)",
            "--project=acme-prod"),
        commands.get(2).exampleArgv());
    // A function without retries acknowledges failures, so no dead-letter policy is set for it.
    assertTrue(full.steps().stream().noneMatch(s -> s.title().contains("job-auditor's trigger")));
  }

  @Test
  void queuesAndSubscriptionsAreCreatedOrUpdatedToTheManifest() {
    PlanStep queue = step("Cloud Tasks queue ocr-steps");
    List<String> settings =
        List.of(
            "--location=europe-west1",
            "--max-dispatches-per-second=2.5",
            "--max-concurrent-dispatches=4",
            "--max-attempts=6",
            "--min-backoff=0.5s",
            "--max-backoff=60s",
            "--max-doublings=4",
            "--project=acme-prod");
    assertEquals(settings, queue.commands().get(1).exampleArgv().subList(5, 13));
    assertEquals("update", queue.commands().get(1).exampleArgv().get(3));
    assertEquals(settings, queue.commands().get(2).exampleArgv().subList(5, 13));
    assertEquals("create", queue.commands().get(2).exampleArgv().get(3));
    assertTrue(step("Cloud Tasks queue plain").bash().contains("--max-dispatches-per-second=500 "));

    PlanStep tap = step("Pub/Sub subscription jobs-finished-tap");
    assertTrue(
        tap.commands()
            .get(2)
            .exampleArgv()
            .containsAll(
                List.of(
                    "--topic=jobs-finished",
                    "--ack-deadline=10",
                    "--dead-letter-topic=jobs-finished-dead",
                    "--max-delivery-attempts=5")));
    PlanStep keep = step("Pub/Sub subscription photos-uploaded-dead-keep");
    assertTrue(keep.commands().get(1).exampleArgv().contains("--clear-dead-letter-policy"));
  }

  @Test
  void firestoreAndBucketSettings() {
    assertEquals(
        "[ -n \"$(gcloud firestore indexes fields describe expireAt --collection-group=jobs"
            + " '--database=(default)' '--format=value(ttlConfig.state)' --project=acme-prod"
            + " 2>/dev/null)\" ] || gcloud firestore fields ttls update expireAt"
            + " --collection-group=jobs '--database=(default)' --enable-ttl --async --project=acme-prod",
        step("Firestore TTL on jobs.expireAt").bash());
    assertTrue(
        step("Firestore index on chunks (session, embedding)")
            .commands()
            .getFirst()
            .exampleArgv()
            .containsAll(
                List.of(
                    "--field-config=field-path=session,order=ascending",
                    "--field-config=field-path=embedding,vector-config={dimension=768,flat}")));
    assertTrue(
        step("Firestore index on items (tags, rank)")
            .commands()
            .getFirst()
            .exampleArgv()
            .containsAll(
                List.of(
                    "--query-scope=collection-group",
                    "--field-config=field-path=tags,array-config=contains")));

    assertEquals(
        "{\"rule\":[{\"action\":{\"type\":\"Delete\"},\"condition\":{\"age\":7,\"matchesPrefix\":[\"uploads/\"]}},"
            + "{\"action\":{\"type\":\"Delete\"},\"condition\":{\"age\":365}}]}",
        StorageSteps.lifecycleJson(manifest.buckets().get(0)));
    assertTrue(
        step("Lifecycle rules on gs://acme-prod-assets")
            .bash()
            .startsWith("printf '%s\\n' '{\"rule\":"));
    assertTrue(
        step("No lifecycle rules on gs://acme-prod-exports").bash().contains("--clear-lifecycle"));
    assertTrue(step("Storage bucket gs://acme-prod-exports").bash().contains("--location=EU"));
  }

  @Test
  void grantsRuntimeAccountsWhatTheyUseAndCreatesOnlyThisProjectsAccounts() {
    List<String> titles = full.steps().stream().map(PlanStep::title).toList();
    assertTrue(titles.contains("Service account mise-functions@acme-prod.iam.gserviceaccount.com"));
    assertTrue(titles.contains("Service account mise-invoker@acme-prod.iam.gserviceaccount.com"));
    assertFalse(titles.contains("Service account exporter@shared-infra-1.iam.gserviceaccount.com"));
    assertTrue(
        titles.contains(
            "Grant roles/datastore.user to exporter@shared-infra-1.iam.gserviceaccount.com"));
    assertTrue(
        titles.contains(
            "Let mise-functions@acme-prod.iam.gserviceaccount.com read secret gemini-api-key"));
    assertTrue(
        titles.contains(
            "Let exporter@shared-infra-1.iam.gserviceaccount.com read secret api-key-pepper"));
    assertFalse(
        titles.contains(
            "Let mise-functions@acme-prod.iam.gserviceaccount.com read secret api-key-pepper"));
    assertTrue(
        titles.contains(
            "Let exporter@shared-infra-1.iam.gserviceaccount.com read and write gs://acme-prod-assets"));
  }

  @Test
  void namedFunctionsDeployAloneWithTheTopicsTheyNeed() {
    DeployPlan partial =
        new DeployPlan(manifest, PROJECT, REGION, List.of("ocr-worker", "ocr-worker"), true);
    List<String> titles = partial.steps().stream().map(PlanStep::title).toList();

    assertTrue(titles.contains("Pub/Sub topic photos-uploaded"));
    assertTrue(titles.contains("Pub/Sub topic photos-uploaded-dead"));
    assertFalse(titles.contains("Pub/Sub topic audit"));
    assertFalse(titles.contains("Enable the APIs mise uses"));
    assertFalse(titles.contains("Cloud Tasks queue ocr-steps"));
    assertFalse(titles.contains("Deploy the edge (Cloudflare Worker)"));
    assertEquals(
        List.of("Deploy function ocr-worker"),
        titles.stream().filter(t -> t.startsWith("Deploy")).toList());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DeployPlan(manifest, PROJECT, REGION, List.of("nope"), true));
    assertTrue(
        e.getMessage()
            .startsWith("no function named 'nope' in the manifest; there are: ocr-upload, "));
  }

  @Test
  void everyFunctionGetsThePublicOriginAndTheEdgeItsUpstreams() {
    DeployPlan plan =
        new DeployPlan(manifest, PROJECT, REGION, "https://api.example.com", List.of(), true);
    List<PlanStep> deploys =
        plan.steps().stream().filter(s -> s.title().startsWith("Deploy function ")).toList();
    assertFalse(deploys.isEmpty());
    for (PlanStep deploy : deploys) {
      assertTrue(deploy.bash().contains("PUBLIC_BASE_URL=https://api.example.com"), deploy.bash());
    }
    assertTrue(
        plan.steps().stream()
            .filter(s -> s.title().startsWith("Deploy the edge"))
            .findFirst()
            .orElseThrow()
            .bash()
            .contains("https://" + REGION + "-" + PROJECT + ".cloudfunctions.net/"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new DeployPlan(
                manifest, PROJECT, REGION, "https://api.example.com/path", List.of(), true));
  }

  @Test
  void theEdgeIsDeployedOnlyWhenItExists() {
    DeployPlan noEdge = new DeployPlan(manifest, PROJECT, REGION, List.of(), false);
    assertTrue(noEdge.steps().stream().noneMatch(s -> s.bash().contains("wrangler")));
    assertTrue(
        step("Deploy the edge (Cloudflare Worker)")
            .bash()
            .contains("npx --no-install wrangler deploy"));
  }

  @Test
  void refusesAMissingOrMalformedProject(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("functions"));
    Files.writeString(root.resolve("functions/functions.json"), Fixtures.everythingJson());

    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> DeployPlan.fromArgs(new String[] {"--root=" + root}));
    assertEquals("--project=<id> is required", missing.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> DeployPlan.fromArgs(new String[] {"--root=" + root, "--project=Bad_Project"}));

    // The region defaults to the manifest's; no cloudflare-worker/ folder, no edge deploy.
    String script =
        DeployPlan.fromArgs(new String[] {"--root=" + root, "--project=acme-prod"}).script();
    assertTrue(script.startsWith("# Enable the APIs mise uses\ngcloud services enable "));
    assertTrue(script.contains(" --region=europe-west1 "));
    assertFalse(script.contains("wrangler"));
    String moved =
        DeployPlan.fromArgs(
                new String[] {"--root=" + root, "--project=acme-prod", "--region=us-east1"})
            .script();
    assertTrue(moved.contains("--region=us-east1 ") && !moved.contains("europe-west1"));
  }

  @Test
  void dictFlagPicksADelimiterNoValueUses() {
    Map<String, String> plain = new LinkedHashMap<>();
    plain.put("A", "1");
    plain.put("B", "x=y");
    assertEquals("A=1,B=x=y", FunctionSteps.dictFlag(plain));
    Map<String, String> values = new LinkedHashMap<>();
    values.put("A", "x,y@z");
    values.put("B", "2");
    assertEquals("^|^A=x,y@z|B=2", FunctionSteps.dictFlag(values));
  }

  /**
   * Runs every plan line in bash with a stand-in {@code gcloud} that records its arguments: each
   * line parses, runs, and calls gcloud with exactly the words the model holds (so quoting and
   * command substitution survive bash). The stand-in says no resource exists yet, so creations run.
   */
  @Test
  void everyLineRunsInBashWithTheModelsArguments(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("calls");
    StringBuilder script = new StringBuilder();
    script.append(
        """
        set -euo pipefail
        gcloud() {
          printf '%s\\0' gcloud "$@" >> "$LOG"; printf '\\n\\0' >> "$LOG"
          # Like gcloud, read a file given as /dev/stdin: a writer piping into it must not die
          # of SIGPIPE (exit 141) because the stand-in returned before reading.
          case " $* " in *'=/dev/stdin '*) cat >/dev/null ;; esac
          case " $* " in
            *' describe '*--format=value*) printf 'OUT' ;;
            *' describe '*) return 1 ;;
          esac
        }
        npm() { :; }
        npx() { :; }
        cd() { :; }
        """);
    List<PlanStep> steps = full.steps();
    for (PlanStep step : steps) {
      script.append("printf 'STEP\\n\\0' >> \"$LOG\"\n").append(step.bash()).append('\n');
    }
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", script.toString());
    bash.environment().put("LOG", log.toString());
    bash.redirectErrorStream(true);
    Process process = bash.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);

    List<List<List<String>>> callsPerStep = parseLog(Files.readString(log));
    assertEquals(steps.size(), callsPerStep.size());
    for (int i = 0; i < steps.size(); i++) {
      PlanStep step = steps.get(i);
      List<List<String>> modeled =
          step.allCommands().stream().map(c -> c.argv(o -> "OUT")).toList();
      List<List<String>> calls = callsPerStep.get(i);
      if (step.commands().isEmpty()) {
        assertTrue(calls.isEmpty());
        continue;
      }
      assertFalse(calls.isEmpty(), step.title());
      for (List<String> call : calls) {
        assertTrue(
            modeled.contains(call),
            () -> step.title() + ": unexpected call " + call + "\nmodeled " + modeled);
      }
    }
  }

  private static List<List<List<String>>> parseLog(String log) {
    List<List<List<String>>> steps = new ArrayList<>();
    List<String> call = new ArrayList<>();
    for (String field : log.split("\0", -1)) {
      if (field.equals("STEP\n")) {
        steps.add(new ArrayList<>());
      } else if (field.equals("\n")) {
        steps.getLast().add(call);
        call = new ArrayList<>();
      } else if (!field.isEmpty() || !call.isEmpty()) {
        call.add(field);
      }
    }
    return steps;
  }

  @Test
  void quotesWordsSoBashReadsThemBack() throws Exception {
    List<String> words =
        List.of(
            "plain-word_1.2:3@x,y=z/%+",
            "two words",
            "it's",
            "$HOME",
            "*",
            "\"",
            "\\",
            "(default)",
            "{a,b}",
            "~",
            "",
            "!x",
            "a\nb",
            "^@^A=b@C=d",
            "`date`");
    StringBuilder script = new StringBuilder("printf '%s\\0'");
    words.forEach(w -> script.append(' ').append(ShellCommand.quote(w)));
    Process process = new ProcessBuilder("bash", "-c", script.toString()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(words, Arrays.asList(out.split("\0", -1)).subList(0, words.size()));
    assertEquals("plain-word_1.2:3@x,y=z/%+", ShellCommand.quote("plain-word_1.2:3@x,y=z/%+"));
  }

  private List<String> deployArgv(String function) {
    return step("Deploy function " + function).commands().getFirst().exampleArgv();
  }

  private PlanStep step(String title) {
    return full.steps().stream()
        .filter(s -> s.title().equals(title))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step '" + title + "'"));
  }
}
