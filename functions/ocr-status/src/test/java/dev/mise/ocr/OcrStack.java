package dev.mise.ocr;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.util.Durations;
import dev.mise.emulators.eventarc.EventarcStandIn;
import dev.mise.emulators.eventarc.Trigger;
import dev.mise.emulators.gemini.GeminiStandIn;
import dev.mise.emulators.google.FunctionInvoker;
import dev.mise.emulators.google.SharedEmulators;
import dev.mise.emulators.tasks.TasksEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The OCR functions as the local stack runs them, for end-to-end tests and the benchmark: each
 * function under the official java-function-invoker in its own process, Google's Firestore and
 * Pub/Sub emulators, the Cloud Tasks emulator, the Eventarc stand-in and the Gemini stand-in, all
 * on free ports of 127.0.0.1 (the invoker itself listens on all interfaces). A second upload
 * function publishes to a topic that does not exist, to exercise the synchronous fallback. The
 * worker's dead letters go to {@code ocr-jobs-dead}, which the dead-letter function consumes.
 */
final class OcrStack implements AutoCloseable {
  static final String TASKS_SA = "mise-invoker@demo-ocr-e2e.iam.gserviceaccount.com";
  static final String AUDIENCE = "mise-ocr-cleanup";

  final String project;
  final TasksEmulator tasks;
  final GeminiStandIn gemini;
  final FunctionInvoker upload;
  final FunctionInvoker syncUpload;
  final FunctionInvoker worker;
  final FunctionInvoker cleanup;
  final FunctionInvoker status;
  final FunctionInvoker deadLetters;
  final EventarcStandIn eventarc;
  final Path assets;

  private OcrStack(String project, int cleanupAttempts) throws IOException {
    this.project = project;
    SharedEmulators.startBoth();
    assets = Files.createTempDirectory("mise-ocr-e2e-assets");
    tasks = TasksEmulator.start(0);
    tasks.putQueue(
        Queue.newBuilder()
            .setName("projects/" + project + "/locations/local/queues/ocr-steps")
            .setRateLimits(
                RateLimits.newBuilder().setMaxDispatchesPerSecond(50).setMaxConcurrentDispatches(5))
            .setRetryConfig(
                RetryConfig.newBuilder()
                    .setMaxAttempts(cleanupAttempts)
                    .setMinBackoff(Durations.fromMillis(200))
                    .setMaxBackoff(Durations.fromSeconds(1))
                    .setMaxDoublings(2))
            .build());
    gemini = GeminiStandIn.start(0);

    Map<String, String> env = new HashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", project);
    env.put("FIRESTORE_EMULATOR_HOST", SharedEmulators.firestore().host());
    env.put("PUBSUB_EMULATOR_HOST", SharedEmulators.pubsub().host());
    env.put("CLOUD_TASKS_EMULATOR_HOST", tasks.endpoint());
    env.put("CLOUD_TASKS_LOCATION", "local");
    env.put("GOOGLE_GEMINI_BASE_URL", gemini.baseUrl());
    env.put("GOOGLE_API_KEY", "local-stand-in");
    env.put("MODEL_RETRY_ATTEMPTS", "1");
    env.put("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099");
    env.put("AUTH_JWKS_URL", "http://127.0.0.1:9/keys");
    env.put("INTERNAL_AUTH_JWKS_URL", "http://127.0.0.1:9/keys");
    env.put("ASSETS_DIR", assets.toString());
    env.put("PUBLIC_BASE_URL", "http://127.0.0.1:8787");
    env.put("OCR_STEP_LEASE", "30s");

    Path jar = Path.of(System.getProperty("mise.invoker.jar"));
    String classpath =
        System.getProperty("mise.function.classes")
            + java.io.File.pathSeparator
            + Files.readString(Path.of(System.getProperty("mise.function.classpath.file"))).trim();

    CompletableFuture<FunctionInvoker> cleanupStart =
        start(
            jar,
            classpath,
            "RecipeCleanup",
            env,
            Map.of(
                "INTERNAL_AUTH_AUDIENCE", AUDIENCE,
                "INTERNAL_AUTH_SERVICE_ACCOUNT", TASKS_SA,
                "OCR_CLEANUP_MAX_ATTEMPTS", Integer.toString(cleanupAttempts)));
    CompletableFuture<FunctionInvoker> uploadStart = start(jar, classpath, "Upload", env, Map.of());
    CompletableFuture<FunctionInvoker> syncStart =
        start(jar, classpath, "Upload", env, Map.of("OCR_TOPIC", "ocr-jobs-does-not-exist"));
    CompletableFuture<FunctionInvoker> statusStart =
        start(jar, classpath, "Status", env, Map.of("OCR_STATUS_POLL", "100ms"));
    cleanup = cleanupStart.join();
    Map<String, String> chain =
        Map.of(
            "OCR_CLEANUP_URL",
            cleanup.url().toString(),
            "OCR_CLEANUP_AUDIENCE",
            AUDIENCE,
            "TASKS_SERVICE_ACCOUNT",
            TASKS_SA,
            "OCR_WORKER_MAX_ATTEMPTS",
            "5");
    CompletableFuture<FunctionInvoker> workerStart = start(jar, classpath, "OcrWorker", env, chain);
    CompletableFuture<FunctionInvoker> deadLettersStart =
        start(jar, classpath, "OcrDeadLetters", env, chain);
    worker = workerStart.join();
    deadLetters = deadLettersStart.join();
    upload = uploadStart.join();
    syncUpload = syncStart.join();
    status = statusStart.join();
    eventarc =
        EventarcStandIn.start(
            project,
            SharedEmulators.pubsub().host(),
            List.of(
                new Trigger("ocr-worker", "ocr-jobs", worker.url(), "ocr-jobs-dead", 5),
                Trigger.of("ocr-dead-letters", "ocr-jobs-dead", deadLetters.url())));
  }

  static OcrStack start(String project, int cleanupAttempts) throws IOException {
    return new OcrStack(project, cleanupAttempts);
  }

  private static CompletableFuture<FunctionInvoker> start(
      Path jar,
      String classpath,
      String function,
      Map<String, String> env,
      Map<String, String> own) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(own);
    return CompletableFuture.supplyAsync(
        () -> FunctionInvoker.start(jar, classpath, "dev.mise.ocr." + function, all));
  }

  static byte[] sample(String name) throws IOException {
    return Files.readAllBytes(Path.of(System.getProperty("mise.samples"), name));
  }

  URI url(FunctionInvoker function, String path) {
    return function.url().resolve(path);
  }

  @Override
  public void close() {
    for (AutoCloseable part :
        new AutoCloseable[] {
          eventarc, upload, syncUpload, worker, deadLetters, cleanup, status, gemini, tasks
        }) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }
}
