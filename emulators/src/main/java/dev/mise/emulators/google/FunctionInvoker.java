package dev.mise.emulators.google;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One function under Google's official {@code java-function-invoker}, as Cloud Functions runs it: a
 * child process serving the entry point on a free port. The invoker binds every interface (it has
 * no host option); callers use {@link #url()} on 127.0.0.1.
 *
 * <pre>{@code
 * try (FunctionInvoker echo = FunctionInvoker.start(FunctionInvoker.locateJar(), classpath,
 *     "dev.mise.health.EventEcho", Map.of("GOOGLE_CLOUD_PROJECT", "demo-mise"))) {
 *   post(echo.url(), ...);
 * }
 * }</pre>
 */
public final class FunctionInvoker implements AutoCloseable {

  /** The invoker version the build pins (root pom {@code java-function-invoker.version}). */
  public static final String VERSION = "2.0.0";

  /** System property or environment variable naming the invoker jar explicitly. */
  public static final String JAR_PROPERTY = "mise.invoker.jar";

  public static final String JAR_VARIABLE = "MISE_INVOKER_JAR";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final String target;
  private final int port;
  private final LocalProcess process;

  private FunctionInvoker(String target, int port, LocalProcess process) {
    this.target = target;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts {@code target} (a class name) from {@code classpath} (the function's classes and runtime
   * dependencies, without the functions framework API, which the invoker provides) with extra
   * environment variables, and returns once the port accepts connections.
   */
  public static FunctionInvoker start(
      Path invokerJar, String classpath, String target, Map<String, String> env) {
    return start(invokerJar, classpath, target, LocalProcess.freePort(), env, null);
  }

  /**
   * Starts {@code target} on a given port, appending its output to {@code log} (a temp file when
   * null), and returns once the port accepts connections.
   */
  public static FunctionInvoker start(
      Path invokerJar,
      String classpath,
      String target,
      int port,
      Map<String, String> env,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.currentJava());
    command.addAll(
        List.of(
            "-jar",
            invokerJar.toString(),
            "--classpath",
            classpath,
            "--target",
            target,
            "--port",
            Integer.toString(port)));
    String name = target.substring(target.lastIndexOf('.') + 1);
    LocalProcess process =
        log == null
            ? LocalProcess.start("invoker-" + name, command, env)
            : LocalProcess.start("invoker-" + name, command, env, log);
    process.awaitReady(() -> accepts(port), STARTUP_TIMEOUT);
    return new FunctionInvoker(target, port, process);
  }

  /**
   * The invoker jar: {@value #JAR_PROPERTY} (system property) or {@value #JAR_VARIABLE}, else the
   * copy {@code emulators/target/invoker/java-function-invoker.jar} in this checkout (made by
   * {@code package}), else the local Maven repository.
   */
  public static Path locateJar() {
    List<Path> tried = new ArrayList<>();
    for (String configured :
        new String[] {System.getProperty(JAR_PROPERTY), System.getenv(JAR_VARIABLE)}) {
      if (configured != null && !configured.isBlank()) {
        tried.add(Path.of(configured));
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      tried.add(dir.resolve("emulators/target/invoker/java-function-invoker.jar"));
    }
    tried.add(
        Path.of(
            System.getProperty("user.home"),
            ".m2/repository/com/google/cloud/functions/invoker/java-function-invoker",
            VERSION,
            "java-function-invoker-" + VERSION + ".jar"));
    Optional<Path> found = tried.stream().filter(Files::isRegularFile).findFirst();
    return found.orElseThrow(
        () -> new IllegalStateException("java-function-invoker jar not found; tried " + tried));
  }

  /** {@code http://127.0.0.1:PORT/}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public int port() {
    return port;
  }

  /** The invoker's process. */
  public LocalProcess process() {
    return process;
  }

  /** The invoker's output so far (the function's logs), for assertions and failure messages. */
  public String logTail() {
    return process.logTail();
  }

  @Override
  public void close() {
    process.stop();
  }

  @Override
  public String toString() {
    return target + " under the invoker at " + url() + " " + process;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
