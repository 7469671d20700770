package dev.mise.emulators.manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ordered commands that deploy the manifest to a Google Cloud project: APIs, service accounts
 * and their roles, Firestore, topics, subscriptions, queues, buckets, then each function and the
 * bindings that let Cloud Tasks, Eventarc and the edge call it, and last the edge itself. Every
 * line is idempotent, so a failed deploy is fixed by running it again.
 *
 * <p>Naming functions deploys just those, with the topics, queues and service accounts they use;
 * the shared setup (APIs, Firestore, buckets, subscriptions, the edge) runs only on a full deploy.
 *
 * <p>As a program it prints the plan for deploy.sh: a {@code # title} line before each command.
 *
 * <pre>
 * java -cp ... dev.mise.emulators.manifest.DeployPlan --project=my-proj [--region=europe-west1]
 *     [--public-base-url=https://api.example.com]
 *     [--root=.] [--manifest=functions/functions.json] [--] [function ...]
 * </pre>
 */
public final class DeployPlan {

  private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");
  private static final Pattern PUBLIC_BASE_URL =
      Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  private static final List<String> APIS =
      List.of(
          "cloudfunctions.googleapis.com",
          "run.googleapis.com",
          "cloudbuild.googleapis.com",
          "artifactregistry.googleapis.com",
          "eventarc.googleapis.com",
          "pubsub.googleapis.com",
          "cloudtasks.googleapis.com",
          "firestore.googleapis.com",
          "secretmanager.googleapis.com",
          "storage.googleapis.com",
          "iam.googleapis.com");

  private final Manifest manifest;
  private final DeployTarget target;
  private final List<FunctionSpec> selected;
  private final boolean full;
  private final boolean withEdge;

  /**
   * @param functionNames the functions to deploy; empty for a full deploy
   * @param withEdge whether the edge ({@code cloudflare-worker/}) exists and is deployed
   */
  public DeployPlan(
      Manifest manifest,
      String project,
      String region,
      List<String> functionNames,
      boolean withEdge) {
    this(manifest, project, region, null, functionNames, withEdge);
  }

  /**
   * @param publicBaseUrl the edge's origin ({@code https://api.example.com}), set as every
   *     function's {@code PUBLIC_BASE_URL} unless its manifest env sets one; null for none
   */
  public DeployPlan(
      Manifest manifest,
      String project,
      String region,
      String publicBaseUrl,
      List<String> functionNames,
      boolean withEdge) {
    if (!PROJECT_ID.matcher(project).matches()) {
      throw new IllegalArgumentException(
          "'" + project + "' is not a Google Cloud project id (6-30 of a-z, 0-9, -)");
    }
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("'" + region + "' is not a region like europe-west1");
    }
    this.manifest = manifest;
    if (publicBaseUrl != null && !PUBLIC_BASE_URL.matcher(publicBaseUrl).matches()) {
      throw new IllegalArgumentException(
          "'" + publicBaseUrl + "' is not an origin like https://api.example.com (no path)");
    }
    this.target = new DeployTarget(manifest, project, region, publicBaseUrl);
    this.full = functionNames.isEmpty();
    this.selected =
        full
            ? manifest.functions()
            : new LinkedHashSet<>(functionNames).stream().map(manifest::requireFunction).toList();
    this.withEdge = withEdge;
  }

  public static void main(String[] args) {
    try {
      System.out.print(fromArgs(args).script());
    } catch (ManifestException | IllegalArgumentException e) {
      System.err.println("deploy plan: " + e.getMessage());
      System.exit(2);
    }
  }

  static DeployPlan fromArgs(String[] args) {
    String project = null;
    String region = null;
    String publicBaseUrl = null;
    Path root = Path.of(".");
    Path manifestFile = null;
    List<String> names = new ArrayList<>();
    boolean optionsEnded = false;
    for (String arg : args) {
      if (optionsEnded) {
        names.add(arg);
      } else if (arg.equals("--")) {
        optionsEnded = true;
      } else if (arg.startsWith("--project=")) {
        project = arg.substring("--project=".length());
      } else if (arg.startsWith("--region=")) {
        region = arg.substring("--region=".length());
      } else if (arg.startsWith("--public-base-url=")) {
        publicBaseUrl = arg.substring("--public-base-url=".length());
      } else if (arg.startsWith("--root=")) {
        root = Path.of(arg.substring("--root=".length()));
      } else if (arg.startsWith("--manifest=")) {
        manifestFile = Path.of(arg.substring("--manifest=".length()));
      } else if (arg.startsWith("-")) {
        throw new IllegalArgumentException("unknown option " + arg);
      } else {
        names.add(arg);
      }
    }
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException("--project=<id> is required");
    }
    Manifest manifest =
        Manifest.load(
            manifestFile != null ? manifestFile : root.resolve("functions/functions.json"));
    String effectiveRegion =
        region == null || region.isBlank() ? manifest.defaults().region() : region;
    return new DeployPlan(
        manifest,
        project,
        effectiveRegion,
        publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl,
        names,
        Files.isDirectory(root.resolve("cloudflare-worker")));
  }

  /** The plan as deploy.sh reads it: {@code # title}, then the command, for every step. */
  public String script() {
    StringBuilder out = new StringBuilder();
    for (PlanStep step : steps()) {
      out.append("# ").append(step.title()).append('\n').append(step.bash()).append('\n');
    }
    return out.toString();
  }

  public List<PlanStep> steps() {
    List<PlanStep> steps = new ArrayList<>();
    if (full) {
      steps.add(
          PlanStep.run(
              "Enable the APIs mise uses",
              DeployTarget.gcloud("services", "enable")
                  .with(APIS.toArray(String[]::new))
                  .with(target.projectFlag())));
    }
    IdentitySteps.add(target, selected, steps);
    if (full) {
      StorageSteps.firestore(target, steps);
    }
    MessagingSteps.topics(target, topics(), steps);
    if (full) {
      MessagingSteps.subscriptions(target, steps);
    }
    MessagingSteps.queues(target, queues(), steps);
    if (full) {
      StorageSteps.buckets(target, steps);
    }
    for (FunctionSpec fn : selected) {
      steps.add(PlanStep.run("Deploy function " + fn.name(), FunctionSteps.deploy(target, fn)));
    }
    for (FunctionSpec fn : selected) {
      FunctionSteps.afterDeploy(target, fn, steps);
    }
    if (full && withEdge) {
      steps.add(
          PlanStep.shell(
              "Deploy the edge (Cloudflare Worker)",
              "(cd cloudflare-worker && npm ci --no-audit --no-fund"
                  + " && WRANGLER_SEND_METRICS=false npx --no-install wrangler deploy --var "
                  + ShellCommand.quote("UPSTREAMS:" + edgeUpstreams())
                  + ")"));
    }
    return steps;
  }

  /**
   * The edge's {@code UPSTREAMS} variable: each routed function's URL, the same one {@code
   * ${url:NAME}} resolves to ({@code https://REGION-PROJECT.cloudfunctions.net/NAME}), which is
   * also the audience of the ID tokens the edge mints for it.
   */
  private String edgeUpstreams() {
    com.google.gson.JsonObject table = new com.google.gson.JsonObject();
    Placeholders cloud = Placeholders.cloud(target.project(), target.region());
    for (FunctionSpec fn : manifest.functions()) {
      if (!fn.routes().isEmpty()) {
        table.addProperty(fn.name(), cloud.urlOf().apply(fn));
      }
    }
    return table.toString();
  }

  /** All topics, or those the named functions are triggered by, with their dead-letter topics. */
  private Collection<Topic> topics() {
    if (full) {
      return manifest.allTopics();
    }
    Map<String, Topic> topics = new LinkedHashMap<>();
    for (FunctionSpec fn : selected) {
      if (fn.trigger() instanceof Trigger.PubSub p) {
        Topic topic = manifest.topic(p.topic()).orElseThrow();
        topics.put(topic.name(), topic);
        if (topic.hasDeadLetterTopic()) {
          topics.putIfAbsent(
              topic.deadLetterTopic(), manifest.topic(topic.deadLetterTopic()).orElseThrow());
        }
      }
    }
    return topics.values();
  }

  /** All queues, or those the named functions are the targets of. */
  private Collection<Queue> queues() {
    if (full) {
      return manifest.queues();
    }
    Map<String, Queue> queues = new LinkedHashMap<>();
    for (FunctionSpec fn : selected) {
      if (fn.trigger() instanceof Trigger.Tasks tasks) {
        queues.putIfAbsent(tasks.queue(), manifest.queue(tasks.queue()).orElseThrow());
      }
    }
    return queues.values();
  }
}
