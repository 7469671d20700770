package dev.mise.emulators.google;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process started for the local stack or a test: its output goes to a log file, and {@link
 * #stop()} ends the whole process tree (gcloud's wrappers start java grandchildren that would
 * otherwise outlive their parent).
 */
public final class LocalProcess implements AutoCloseable {

  private static final Duration GRACE = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path log;
  private final boolean temporaryLog;

  private LocalProcess(String name, Process process, Path log, boolean temporaryLog) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.temporaryLog = temporaryLog;
  }

  /**
   * Starts {@code command} with extra environment variables, logging to a temp file that {@link
   * #stop()} deletes (read it with {@link #logTail()} before).
   */
  public static LocalProcess start(String name, List<String> command, Map<String, String> env) {
    try {
      return start(name, command, env, Files.createTempFile("mise-" + name + "-", ".log"), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a log file for " + name, e);
    }
  }

  /** Starts {@code command} appending its output to {@code log}, which is kept. */
  public static LocalProcess start(
      String name, List<String> command, Map<String, String> env, Path log) {
    return start(name, command, env, log, false);
  }

  private static LocalProcess start(
      String name, List<String> command, Map<String, String> env, Path log, boolean temporary) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      return new LocalProcess(name, builder.start(), log, temporary);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** A port that was free a moment ago on 127.0.0.1, for a child to bind. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** True when a GET to the URL answers 200 within a second (an emulator's "Ok" page). */
  public static boolean answersOk(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(1000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code java} of the running JVM, so children use the same (>= 21) JDK as the build. */
  public static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Polls {@code ready} until it holds; when the process exits or the timeout passes, stops it and
   * fails with the log's tail. The pause between polls grows from 20 ms to 200 ms.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 20;
    while (!ready.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String problem =
            process.isAlive()
                ? " was not ready within " + timeout
                : " exited with " + process.exitValue() + " before it was ready";
        String tail = logTail();
        stop();
        throw new IllegalStateException(name + problem + ":\n" + tail);
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      pauseMillis = Math.min(200, pauseMillis * 2);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** The last lines of the log, for error messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Ends the process and every descendant: a polite signal first, then a forced kill for whatever
   * is still alive after a grace period. Descendants are collected before the parent dies, since an
   * orphan is no longer listed under it.
   */
  public void stop() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception stillRunning) {
        handle.destroyForcibly();
      }
    }
    try {
      process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (temporaryLog) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // A leftover temp file is harmless.
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
