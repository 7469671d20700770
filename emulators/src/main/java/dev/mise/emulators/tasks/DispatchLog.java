package dev.mise.emulators.tasks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per dispatch attempt, in Cloud Logging's shape ({@code severity}, {@code message}),
 * so the local stack's log reads like the service's task logs: queue, task, attempt, HTTP status,
 * what happens next.
 */
final class DispatchLog {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final PrintStream out;

  DispatchLog(PrintStream out) {
    this.out = out;
  }

  void attempt(
      String queue,
      String task,
      int attempt,
      Integer status,
      Throwable error,
      QueueState.Outcome outcome,
      Instant nextAttempt,
      Duration latency) {
    String result = status != null ? "HTTP " + status : "no response";
    String message =
        switch (outcome) {
          case DONE -> "task " + task + " done (" + result + ")";
          case RETRY ->
              "task " + task + " attempt " + attempt + " failed (" + result + "), retrying";
          case DROPPED ->
              "task " + task + " dropped after " + attempt + " attempts (" + result + ")";
          case DISCARDED -> "task " + task + " was deleted during its attempt (" + result + ")";
        };
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put(
        "severity",
        switch (outcome) {
          case DONE, DISCARDED -> "INFO";
          case RETRY -> "WARNING";
          case DROPPED -> "ERROR";
        });
    entry.put("message", message);
    entry.put("time", Instant.now().toString());
    entry.put("component", "cloud-tasks-emulator");
    entry.put("queue", queue);
    entry.put("task", task);
    entry.put("attempt", attempt);
    entry.put("status", status);
    entry.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
    entry.put("latency_ms", latency.toMillis());
    if (nextAttempt != null) {
      entry.put("next_attempt", nextAttempt.toString());
    }
    if (error != null) {
      entry.put("error", error.toString());
    }
    write(entry);
  }

  void info(String message, Object... keyValues) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("severity", "INFO");
    entry.put("message", message);
    entry.put("time", Instant.now().toString());
    entry.put("component", "cloud-tasks-emulator");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      entry.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
    }
    write(entry);
  }

  private void write(Map<String, Object> entry) {
    String line = GSON.toJson(entry);
    synchronized (out) {
      out.println(line);
    }
  }
}
