package dev.mise.common.logging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace id of a request, from {@code traceparent} (W3C) or {@code X-Cloud-Trace-Context}
 * (Google's {@code TRACE_ID/SPAN_ID;o=1}), formatted as Cloud Logging wants it: {@code
 * projects/PROJECT/traces/TRACE_ID}.
 */
public final class Trace {
  private static final Pattern TRACEPARENT =
      Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
  private static final Pattern CLOUD_TRACE = Pattern.compile("^([0-9a-fA-F]{32})(/.*)?$");

  private Trace() {}

  /** The trace field's value, or empty when neither header carries a valid trace id. */
  public static Optional<String> resource(
      String projectId, String traceparent, String cloudTraceContext) {
    return traceId(traceparent, cloudTraceContext)
        .map(id -> "projects/" + projectId + "/traces/" + id);
  }

  static Optional<String> traceId(String traceparent, String cloudTraceContext) {
    if (traceparent != null) {
      Matcher m = TRACEPARENT.matcher(traceparent.trim());
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    if (cloudTraceContext != null) {
      Matcher m = CLOUD_TRACE.matcher(cloudTraceContext.trim());
      if (m.matches()) {
        return Optional.of(m.group(1).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return Optional.empty();
  }
}
