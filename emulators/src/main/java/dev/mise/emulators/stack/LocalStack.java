package dev.mise.emulators.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The supervisor {@code emulators/up} starts in the background. It brings the local copy of the
 * cloud up in dependency order, writes its progress to {@code run/progress} (which {@code up}
 * shows), the endpoints to {@code run/endpoints.txt} and a {@code run/ready} marker, then stays
 * until it is sent SIGTERM ({@code emulators/down}), when it stops everything it started in reverse
 * order.
 */
public final class LocalStack {

  private final Path root;
  private final Path run;
  private final Path logs;
  private final Path assets;
  private final Map<String, String> env;
  private volatile StackServices services;

  LocalStack(Path root, Path state, Map<String, String> env) {
    this.root = root;
    this.run = state.resolve("run");
    this.logs = state.toAbsolutePath().normalize().resolve("logs");
    this.assets = state.resolve("assets");
    this.env = env;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(arg(args, "--root", ".")).toAbsolutePath().normalize();
    Path state = Path.of(arg(args, "--state", root.resolve(".local").toString()));
    LocalStack stack = new LocalStack(root, state, System.getenv());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stack.stop();
                  stopped.countDown();
                }));
    try {
      stack.start();
    } catch (Exception e) {
      System.err.println("local stack failed: " + e);
      e.printStackTrace();
      stack.mark("failed", String.valueOf(e.getMessage()));
      System.exit(1);
    }
    stopped.await();
  }

  void start() throws Exception {
    Files.createDirectories(run);
    Files.createDirectories(logs);
    Files.createDirectories(assets);
    long began = System.nanoTime();
    StackConfig config = StackConfig.load(root.resolve("emulators"), env);
    services =
        new StackServices(
            root, config, assets, logs, run, this::progress, !"0".equals(env.get("MISE_EDGE")));
    Map<String, String> endpoints = new LinkedHashMap<>();
    services.startAll(endpoints);
    StringBuilder text = new StringBuilder();
    endpoints.forEach((name, url) -> text.append(String.format("  %-24s %s%n", name, url)));
    text.append(
        String.format(
            "  %-24s %s%n", "logs", (logs.startsWith(root) ? root.relativize(logs) : logs) + "/"));
    Files.writeString(run.resolve("endpoints.txt"), text.toString(), StandardCharsets.UTF_8);
    progress(
        String.format(
            "everything answers after %.1f s", (System.nanoTime() - began) / 1_000_000_000.0));
    mark("ready", "");
  }

  void stop() {
    StackServices running = services;
    if (running != null) {
      running.close();
    }
  }

  /** Called from the start threads too (the edge starts beside the functions). */
  private synchronized void progress(String line) {
    System.out.println(line);
    try {
      Files.writeString(
          run.resolve("progress"),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("cannot write progress: " + e);
    }
  }

  private void mark(String name, String content) {
    try {
      Files.writeString(run.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("cannot write marker " + name + ": " + e);
    }
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
