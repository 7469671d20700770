package dev.mise.emulators.google;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /** {@code java <options> <jarArguments...>} with the build's JDK. */
  static List<String> java(List<String> jarArguments) {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.currentJava());
    command.addAll(JVM_OPTIONS);
    command.addAll(jarArguments);
    return command;
  }

  /** {@code gcloud <arguments...>}, the fallback when the jar is not where we look. */
  static List<String> gcloud(Path gcloud, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(gcloud.toString());
    command.addAll(arguments);
    command.add("--quiet");
    return command;
  }

  /** Starts the command and waits until {@code http://127.0.0.1:port/} answers 200. */
  static LocalProcess startAndAwait(String name, List<String> command, int port, Path log) {
    LocalProcess process =
        log == null
            ? LocalProcess.start(name, command, Map.of())
            : LocalProcess.start(name, command, Map.of(), log);
    process.awaitReady(() -> LocalProcess.answersOk(baseUrl(port)), STARTUP_TIMEOUT);
    return process;
  }

  static String baseUrl(int port) {
    return "http://127.0.0.1:" + port + "/";
  }
}
