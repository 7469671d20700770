package dev.mise.scan.e2e;

import dev.mise.common.config.Env;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.emulators.assets.AssetServer;
import dev.mise.emulators.gemini.GeminiStandIn;
import dev.mise.emulators.google.FunctionInvoker;
import dev.mise.emulators.google.SharedEmulators;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The two scan functions as the local stack runs them, each under the official invoker on a free
 * port, against the Firestore emulator, the Gemini stand-in (in process, so tests can script it and
 * set its latencies), and a directory of assets served under {@code /assets/}.
 */
final class LocalScanStack implements AutoCloseable {

  final String project = "demo-scan-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
  final GeminiStandIn gemini;
  final AssetServer assets;
  final Path assetsDir;
  final FunctionInvoker scan;
  final FunctionInvoker events;
  final FirestoreJobStore store;
  final Map<String, String> env;

  private LocalScanStack(Map<String, String> overrides) throws IOException {
    String firestore = SharedEmulators.firestore().host();
    gemini = GeminiStandIn.start(0);
    assetsDir = Files.createTempDirectory("scan-assets");
    assets = AssetServer.start(assetsDir, 0);
    Map<String, String> vars = new HashMap<>();
    vars.put("GOOGLE_CLOUD_PROJECT", project);
    vars.put("FIRESTORE_EMULATOR_HOST", firestore);
    vars.put("GOOGLE_GEMINI_BASE_URL", gemini.baseUrl());
    vars.put("GOOGLE_API_KEY", "local-stand-in");
    vars.put("MODEL_RETRY_ATTEMPTS", "1");
    vars.put("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099");
    vars.put("AUTH_JWKS_URL", "http://127.0.0.1:9/unused");
    vars.put("ASSETS_DIR", assetsDir.toString());
    vars.put("PUBLIC_BASE_URL", "http://127.0.0.1:" + assets.port());
    vars.put("K_SERVICE", "scan-e2e");
    vars.putAll(overrides);
    env = Map.copyOf(vars);
    String classpath = functionClasspath();
    scan =
        FunctionInvoker.start(
            FunctionInvoker.locateJar(), classpath, "dev.mise.scan.ScanStream", env);
    events =
        FunctionInvoker.start(
            FunctionInvoker.locateJar(), classpath, "dev.mise.scan.ScanEvents", env);
    store = new FirestoreJobStore(new Env(env));
  }

  static LocalScanStack start(Map<String, String> overrides) throws IOException {
    return new LocalScanStack(overrides);
  }

  URI scanUrl() {
    return scan.url().resolve("/api/v1/scan/stream");
  }

  URI eventsUrl(String sessionId) {
    return events.url().resolve("/api/v1/scan/" + sessionId + "/events");
  }

  /** Empties the project's documents: the next scan of a photo is a miss again. */
  void forgetEverything() {
    SharedEmulators.firestore().reset(project);
  }

  static byte[] sample(String name) throws IOException {
    return Files.readAllBytes(Path.of(System.getProperty("mise.samples", "samples"), name));
  }

  private static String functionClasspath() throws IOException {
    String classes = System.getProperty("mise.function.classes", "target/classes");
    Path dependencies =
        Path.of(System.getProperty("mise.function.classpath.file", "target/runtime-classpath.txt"));
    return classes + java.io.File.pathSeparator + Files.readString(dependencies).trim();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {scan, events, store, assets, gemini}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }
}
