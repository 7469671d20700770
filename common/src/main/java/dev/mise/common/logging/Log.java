package dev.mise.common.logging;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs in Cloud Logging's JSON format: one object per line on stdout, which Cloud Run
 * (and so Cloud Functions gen2) parses into a LogEntry. {@code severity} and {@code message} are
 * the entry's; {@code logging.googleapis.com/trace} links it to the request's trace; every other
 * field lands in {@code jsonPayload}. A {@code Log} is immutable: {@link #with} returns a child
 * that adds context (request id, job id) to every line.
 */
public final class Log {

  public static final String TRACE_KEY = "logging.googleapis.com/trace";

  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  private final String component;
  private final Map<String, Object> context;
  private final PrintStream out;
  private final Clock clock;

  public Log(String component, PrintStream out, Clock clock) {
    this(component, Map.of(), out, clock);
  }

  private Log(String component, Map<String, Object> context, PrintStream out, Clock clock) {
    this.component = component;
    this.context = context;
    this.out = out;
    this.clock = clock;
  }

  /** A log for a function or component, writing to stdout. */
  public static Log to(String component) {
    return new Log(component, System.out, Clock.systemUTC());
  }

  /** A child log that adds a field to every line. */
  public Log with(String key, Object value) {
    Map<String, Object> next = new LinkedHashMap<>(context);
    next.put(key, value);
    return new Log(component, Map.copyOf(next), out, clock);
  }

  public void debug(String message, Object... keyValues) {
    write("DEBUG", message, null, keyValues);
  }

  public void info(String message, Object... keyValues) {
    write("INFO", message, null, keyValues);
  }

  public void warn(String message, Object... keyValues) {
    write("WARNING", message, null, keyValues);
  }

  public void error(String message, Throwable error, Object... keyValues) {
    write("ERROR", message, error, keyValues);
  }

  private void write(String severity, String message, Throwable error, Object[] keyValues) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("severity", severity);
    entry.put("message", message);
    entry.put("time", clock.instant().toString());
    entry.put("component", component);
    entry.putAll(context);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      entry.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
    }
    if (error != null) {
      // Error Reporting picks up entries whose message holds a stack trace.
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      entry.put("stack_trace", trace.toString());
    }
    String line = GSON.toJson(entry);
    synchronized (out) {
      out.println(line);
    }
  }
}
