package dev.mise.emulators.google;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How the launchers start one of gcloud's emulator jars and wait for its "Ok" page. */
final class EmulatorLaunch {

  /** Startup on a busy 2-core machine has taken up to 10 s; leave room. */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  /**
   * Short-lived emulators start faster with C1 only and the serial collector (about a third less
   * time to ready here); the workloads they then serve are tiny.
   */
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en");

  private EmulatorLaunch() {}

  /**
   * Starts an emulator on {@code 127.0.0.1:port} and returns once it answers: its jar run with the
   * build's JDK when the SDK has it ({@code jarArguments} present), else through gcloud; fails with
   * {@code missing} when neither is there. Output is appended to {@code log} (a temp file when
   * null).
   */
  static LocalProcess start(
      String name,
      int port,
      Path log,
      Optional<List<String>> jarArguments,
      List<String> gcloudArguments,
      String missing) {
    List<String> command =
        jarArguments
            .map(EmulatorLaunch::java)
            .or(() -> CloudSdk.gcloud().map(gcloud -> gcloud(gcloud, gcloudArguments)))
            .orElseThrow(() -> new IllegalStateException(missing));
    return startAndAwait(name, command, port, log);
  }

  /** {@code 127.0.0.1:PORT}, what clients of an emulator started on {@code port} reach. */
  static String host(int port) {
    return "127.0.0.1:" + port;
  }

  /** {@code java <options> <jarArguments...>} with the build's JDK. */
  private static List<String> java(List<String> jarArguments) {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.currentJava());
    command.addAll(JVM_OPTIONS);
    command.addAll(jarArguments);
    return command;
  }

  /** {@code gcloud <arguments...>}, the fallback when the jar is not where we look. */
  private static List<String> gcloud(Path gcloud, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(gcloud.toString());
    command.addAll(arguments);
    command.add("--quiet");
    return command;
  }

  /** Starts the command and waits until {@code http://127.0.0.1:port/} answers 200. */
  private static LocalProcess startAndAwait(String name, List<String> command, int port, Path log) {
    LocalProcess process =
        log == null
            ? LocalProcess.start(name, command, Map.of())
            : LocalProcess.start(name, command, Map.of(), log);
    process.awaitReady(() -> LocalProcess.answersOk(baseUrl(port)), STARTUP_TIMEOUT);
    return process;
  }

  private static String baseUrl(int port) {
    return "http://127.0.0.1:" + port + "/";
  }
}
