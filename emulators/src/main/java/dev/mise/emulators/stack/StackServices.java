package dev.mise.emulators.stack;

import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.util.Durations;
import dev.mise.emulators.assets.AssetServer;
import dev.mise.emulators.eventarc.EventarcStandIn;
import dev.mise.emulators.eventarc.Trigger;
import dev.mise.emulators.gemini.GeminiStandIn;
import dev.mise.emulators.google.FirestoreEmulator;
import dev.mise.emulators.google.FunctionInvoker;
import dev.mise.emulators.google.LocalProcess;
import dev.mise.emulators.google.PubSubEmulator;
import dev.mise.emulators.manifest.FunctionSpec;
import dev.mise.emulators.manifest.Manifest;
import dev.mise.emulators.manifest.Placeholders;
import dev.mise.emulators.manifest.Queue;
import dev.mise.emulators.manifest.Topic;
import dev.mise.emulators.tasks.TasksEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Starts the services of the local stack in dependency order and stops them in reverse: Google's
 * emulators, our stand-ins, the manifest's topics and queues, every function under the invoker, the
 * Eventarc deliveries, and the edge.
 */
final class StackServices implements AutoCloseable {

  private static final Duration EDGE_TIMEOUT = Duration.ofSeconds(90);

  private final Path root;
  private final StackConfig config;
  private final Path assetsDir;
  private final Path logs;
  private final Path run;
  private final Consumer<String> progress;
  private final boolean edge;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /**
   * Starts run on virtual threads: the common pool has one thread on a 2-core machine, which would
   * start the emulators and functions one after another.
   */
  private final java.util.concurrent.ExecutorService starter =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  StackServices(
      Path root,
      StackConfig config,
      Path assetsDir,
      Path logs,
      Path run,
      Consumer<String> progress,
      boolean edge) {
    this.root = root;
    this.config = config;
    this.assetsDir = assetsDir;
    this.logs = logs;
    this.run = run;
    this.progress = progress;
    this.edge = edge;
  }

  void startAll(Map<String, String> endpoints) throws Exception {
    Manifest manifest = Manifest.load(root.resolve("functions/functions.json"));
    checkPortsFree(manifest);

    progress.accept("starting the Firestore and Pub/Sub emulators, the functions and the edge");
    CompletableFuture<String[]> google =
        CompletableFuture.supplyAsync(this::startGoogleEmulators, starter);
    // Functions create their clients lazily and the edge needs only their addresses, so both
    // start beside the emulators; their readiness is awaited below.
    List<CompletableFuture<FunctionInvoker>> functions = launchFunctions(manifest);
    CompletableFuture<Map<String, String>> edgeEndpoints =
        edge
            ? CompletableFuture.supplyAsync(() -> startEdge(manifest), starter)
            : CompletableFuture.completedFuture(Map.of());
    try {
      startInProcess(manifest, google, endpoints);
      awaitFunctions(manifest, functions, endpoints);
      startEventarc(manifest, endpoints.get("Pub/Sub emulator"));
      endpoints.putAll(edgeEndpoints.join());
    } catch (RuntimeException e) {
      // Let every launch finish, so that close() stops whatever it started.
      for (CompletableFuture<?> launch : functions) {
        launch.exceptionally(ignored -> null).join();
      }
      edgeEndpoints.exceptionally(ignored -> Map.of()).join();
      google.exceptionally(ignored -> null).join();
      throw e;
    }
  }

  /** The stand-ins in this JVM, then the Google emulators' topics and subscriptions. */
  private void startInProcess(
      Manifest manifest, CompletableFuture<String[]> google, Map<String, String> endpoints) {
    try {
      TasksEmulator tasks = keep(TasksEmulator.start(config.tasksPort()));
      for (Queue queue : manifest.queues()) {
        tasks.putQueue(toProto(queue));
      }
      progress.accept(
          "Cloud Tasks emulator on "
              + tasks.endpoint()
              + " ("
              + manifest.queues().size()
              + " queues)");
      GeminiStandIn gemini = keep(GeminiStandIn.start(config.geminiPort()));
      progress.accept("Gemini stand-in on " + gemini.baseUrl());
      AssetServer assets = keep(AssetServer.start(assetsDir, config.assetsPort()));
      progress.accept("asset server on http://127.0.0.1:" + assets.port() + "/assets/");

      String[] hosts = google.join();
      progress.accept("Firestore emulator on " + hosts[0]);
      progress.accept("Pub/Sub emulator on " + hosts[1]);
      try (PubSubSetup setup = new PubSubSetup(config.projectId(), hosts[1])) {
        setup.create(manifest);
      }
      progress.accept(
          "created "
              + manifest.allTopics().size()
              + " topics and "
              + manifest.subscriptions().size()
              + " subscriptions");
      endpoints.put("Firestore emulator", hosts[0]);
      endpoints.put("Pub/Sub emulator", hosts[1]);
      endpoints.put("Cloud Tasks emulator", tasks.endpoint());
      endpoints.put("Gemini stand-in", gemini.baseUrl());
      endpoints.put("assets", "http://127.0.0.1:" + assets.port() + "/assets/");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * gcloud's emulators (two processes, started in parallel), or firebase-tools' when gcloud lacks
   * them; returns the Firestore and Pub/Sub hosts.
   */
  private String[] startGoogleEmulators() {
    try {
      if (FirebaseToolsEmulators.needed()) {
        LocalProcess firebase =
            keep(
                FirebaseToolsEmulators.start(
                    root, config, run, logs.resolve("firebase-emulators.log")));
        record(firebase, "firebase-emulators");
        return new String[] {config.host(config.firestorePort()), config.host(config.pubsubPort())};
      }
      CompletableFuture<FirestoreEmulator> firestore =
          CompletableFuture.supplyAsync(
              () -> FirestoreEmulator.start(config.firestorePort(), logs.resolve("firestore.log")),
              starter);
      PubSubEmulator pubsub =
          keep(PubSubEmulator.start(config.pubsubPort(), logs.resolve("pubsub.log")));
      record(pubsub.process(), "pubsub");
      FirestoreEmulator firestoreEmulator = keep(firestore.join());
      record(firestoreEmulator.process(), "firestore");
      return new String[] {firestoreEmulator.host(), pubsub.host()};
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<CompletableFuture<FunctionInvoker>> launchFunctions(Manifest manifest)
      throws IOException {
    Path invokerJar = FunctionInvoker.locateJar();
    Placeholders local =
        Placeholders.of(
            config.projectId(),
            config.region(),
            fn -> "http://127.0.0.1:" + config.functionPort(fn.localPort()));
    // Every jar first: a missing one fails the start before any process exists.
    Map<String, Path> jars = new LinkedHashMap<>();
    for (FunctionSpec fn : manifest.functions()) {
      jars.put(fn.name(), deployJar(fn));
    }
    List<CompletableFuture<FunctionInvoker>> starting = new ArrayList<>();
    for (FunctionSpec fn : manifest.functions()) {
      Map<String, String> env = new LinkedHashMap<>(localEnvironment(fn));
      env.putAll(manifest.resolveEnv(fn, local));
      starting.add(
          CompletableFuture.supplyAsync(
              () ->
                  keep(
                      FunctionInvoker.start(
                          invokerJar,
                          jars.get(fn.name()).toString(),
                          fn.entryPoint(),
                          config.functionPort(fn.localPort()),
                          env,
                          logs.resolve("fn-" + fn.name() + ".log"))),
              starter));
    }
    return starting;
  }

  /** Waits for every function, so that a failure of one never leaves another starting unseen. */
  private void awaitFunctions(
      Manifest manifest,
      List<CompletableFuture<FunctionInvoker>> starting,
      Map<String, String> endpoints) {
    RuntimeException failure = null;
    for (int i = 0; i < starting.size(); i++) {
      FunctionSpec fn = manifest.functions().get(i);
      try {
        FunctionInvoker invoker = starting.get(i).join();
        record(invoker.process(), "fn-" + fn.name());
        progress.accept(
            "function " + fn.name() + " on " + invoker.url() + " (" + fn.trigger() + ")");
        endpoints.put("fn " + fn.name(), invoker.url().toString());
      } catch (RuntimeException | IOException e) {
        failure = failure == null ? new IllegalStateException(e) : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void startEventarc(Manifest manifest, String pubsubHost) {
    List<Trigger> triggers = new ArrayList<>();
    for (FunctionSpec fn : manifest.functions()) {
      if (fn.trigger() instanceof dev.mise.emulators.manifest.Trigger.PubSub pubsub) {
        Topic topic = manifest.topic(pubsub.topic()).orElseThrow();
        URI target = URI.create("http://127.0.0.1:" + config.functionPort(fn.localPort()) + "/");
        triggers.add(
            fn.retries() && topic.deadLetterTopic() != null
                ? new Trigger(
                    fn.name(),
                    topic.name(),
                    target,
                    topic.deadLetterTopic(),
                    java.util.Objects.requireNonNullElse(
                        topic.maxDeliveryAttempts(), Topic.DEFAULT_MAX_DELIVERY_ATTEMPTS))
                : Trigger.of(fn.name(), topic.name(), target));
      }
    }
    keep(EventarcStandIn.start(config.projectId(), pubsubHost, triggers));
    progress.accept("Eventarc stand-in delivering " + triggers.size() + " Pub/Sub triggers");
  }

  private Map<String, String> startEdge(Manifest manifest) {
    try {
      return startEdgeProcess(manifest);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Map<String, String> startEdgeProcess(Manifest manifest) throws IOException {
    Path script = root.resolve("cloudflare-worker/dev-local.sh");
    if (!Files.isExecutable(script)
        || !Files.isDirectory(root.resolve("cloudflare-worker/node_modules"))) {
      progress.accept("edge skipped: run `npm ci` in cloudflare-worker/ first");
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("EDGE_PORT", Integer.toString(config.edgePort()));
    env.put("ASSETS_ORIGIN", "http://127.0.0.1:" + config.assetsPort() + "/assets");
    env.put("WRANGLER_SEND_METRICS", "false");
    LocalProcess wrangler =
        keep(
            LocalProcess.start(
                "edge",
                List.of(script.toString(), upstreams(manifest)),
                env,
                logs.resolve("edge.log")));
    record(wrangler, "edge");
    String healthz = "http://127.0.0.1:" + config.edgePort() + "/healthz";
    wrangler.awaitReady(() -> LocalProcess.answersOk(healthz), EDGE_TIMEOUT);
    record(wrangler, "edge"); // again: workerd, wrangler's child, exists only now
    progress.accept("edge (wrangler dev) on http://127.0.0.1:" + config.edgePort());
    return Map.of("edge (public origin)", "http://127.0.0.1:" + config.edgePort());
  }

  /** The edge's upstream table: every routed function at its local port. */
  private String upstreams(Manifest manifest) {
    com.google.gson.JsonObject table = new com.google.gson.JsonObject();
    for (FunctionSpec fn : manifest.functions()) {
      if (!fn.routes().isEmpty()) {
        table.addProperty(fn.name(), "http://127.0.0.1:" + config.functionPort(fn.localPort()));
      }
    }
    return table.toString();
  }

  private Map<String, String> localEnvironment(FunctionSpec fn) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", config.projectId());
    env.put("GCLOUD_PROJECT", config.projectId());
    env.put("FUNCTION_REGION", config.region());
    env.put("CLOUD_TASKS_LOCATION", config.region());
    env.put("FIRESTORE_EMULATOR_HOST", config.host(config.firestorePort()));
    env.put("PUBSUB_EMULATOR_HOST", config.host(config.pubsubPort()));
    env.put("CLOUD_TASKS_EMULATOR_HOST", config.host(config.tasksPort()));
    env.put("GOOGLE_GEMINI_BASE_URL", "http://" + config.host(config.geminiPort()));
    env.put("GOOGLE_API_KEY", "local-stand-in");
    env.put("FIREBASE_AUTH_EMULATOR_HOST", config.host(config.authPort()));
    env.put("ASSETS_DIR", assetsDir.toAbsolutePath().toString());
    env.put(
        "PUBLIC_BASE_URL",
        edge ? "http://127.0.0.1:" + config.edgePort() : "http://127.0.0.1:" + config.assetsPort());
    // Ten JVMs start at once on a laptop: C1 only and the serial collector start them about a
    // third faster here; MISE_FUNCTION_JAVA_OPTIONS overrides (empty for the JVM's defaults).
    env.put(
        "JAVA_TOOL_OPTIONS",
        System.getenv()
            .getOrDefault(
                "MISE_FUNCTION_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
    env.put("K_SERVICE", fn.name());
    env.put("K_REVISION", fn.name() + "-local");
    env.put("FUNCTION_TARGET", fn.entryPoint());
    return env;
  }

  private Path deployJar(FunctionSpec fn) throws IOException {
    Path dir = root.resolve("functions").resolve(fn.module()).resolve("target/deploy");
    try (var jars = Files.list(dir)) {
      return jars.filter(p -> p.toString().endsWith(".jar"))
          .findFirst()
          .orElseThrow(() -> new IOException("no jar in " + dir + ": build first"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(dir + " is missing: build first (emulators/up without --no-build)");
    }
  }

  private void checkPortsFree(Manifest manifest) throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("Firestore emulator (MISE_FIRESTORE_PORT)", config.firestorePort());
    ports.put("Pub/Sub emulator (MISE_PUBSUB_PORT)", config.pubsubPort());
    ports.put("Cloud Tasks emulator (MISE_TASKS_PORT)", config.tasksPort());
    ports.put("Gemini stand-in (MISE_GEMINI_PORT)", config.geminiPort());
    ports.put("asset server (MISE_ASSETS_PORT)", config.assetsPort());
    if (edge) {
      ports.put("edge (MISE_EDGE_PORT)", config.edgePort());
    }
    for (FunctionSpec fn : manifest.functions()) {
      ports.put(
          "function " + fn.name() + " (manifest local.port)", config.functionPort(fn.localPort()));
    }
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      if (listening(port.getValue())) {
        throw new IOException(
            "port " + port.getValue() + " for the " + port.getKey() + " is already in use");
      }
    }
  }

  private com.google.cloud.tasks.v2.Queue toProto(Queue queue) {
    return com.google.cloud.tasks.v2.Queue.newBuilder()
        .setName(QueueName.of(config.projectId(), config.region(), queue.name()).toString())
        .setRateLimits(
            RateLimits.newBuilder()
                .setMaxDispatchesPerSecond(queue.maxDispatchesPerSecond())
                .setMaxConcurrentDispatches(queue.maxConcurrentDispatches()))
        .setRetryConfig(
            RetryConfig.newBuilder()
                .setMaxAttempts(queue.maxAttempts())
                .setMinBackoff(Durations.fromNanos(queue.minBackoffDuration().toNanos()))
                .setMaxBackoff(Durations.fromNanos(queue.maxBackoffDuration().toNanos()))
                .setMaxDoublings(queue.maxDoublings()))
        .build();
  }

  /** Records a child (and its descendants) for {@code emulators/down}. */
  private synchronized void record(LocalProcess process, String name) throws IOException {
    StringBuilder lines = new StringBuilder();
    lines.append(process.pid()).append(' ').append(name).append('\n');
    ProcessHandle.of(process.pid())
        .ifPresent(
            handle ->
                handle
                    .descendants()
                    .forEach(
                        d -> lines.append(d.pid()).append(' ').append(name).append("/child\n")));
    Files.writeString(
        run.resolve("pids"),
        lines,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** Whether something already listens on a local port: the stack never starts over it. */
  private static boolean listening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private <T extends AutoCloseable> T keep(T service) {
    synchronized (started) {
      started.push(service);
    }
    return service;
  }

  @Override
  public void close() {
    starter.shutdownNow();
    while (true) {
      AutoCloseable service;
      synchronized (started) {
        if (started.isEmpty()) {
          return;
        }
        service = started.pop();
      }
      try {
        service.close();
      } catch (Exception e) {
        System.err.println("while stopping: " + e);
      }
    }
  }
}
