package dev.mise.common.tasks;

import dev.mise.common.http.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Cloud Tasks tells the target about a task, read from the {@code X-CloudTasks-*} headers of
 * the incoming request: which queue and task, how many attempts came before, and when it was due. A
 * step compares {@link #retryCount()} with its queue's max attempts to know whether this is the
 * last chance (and so must record a failure rather than answer 5xx into the void).
 *
 * @param queueName the queue id ({@code X-CloudTasks-QueueName})
 * @param taskName the task id, given or generated ({@code X-CloudTasks-TaskName})
 * @param retryCount earlier attempts; 0 on the first ({@code X-CloudTasks-TaskRetryCount})
 * @param executionCount earlier attempts that got a non-5xx answer ({@code
 *     X-CloudTasks-TaskExecutionCount})
 * @param eta when this attempt was scheduled ({@code X-CloudTasks-TaskETA}), null if absent
 * @param previousResponse the HTTP status of the previous attempt, when there was one
 */
public record TaskHeaders(
    String queueName,
    String taskName,
    int retryCount,
    int executionCount,
    Instant eta,
    OptionalInt previousResponse) {

  private static final Pattern ETA = Pattern.compile("(\\d{1,12})(?:\\.(\\d{1,9}))?");

  /**
   * Reads the headers of a request (as {@code HttpRequest.getHeaders()} gives them; names in any
   * case). Empty when the request did not come from Cloud Tasks (no task name); a request that
   * claims to but carries malformed values is a 400.
   */
  public static Optional<TaskHeaders> from(Map<String, ? extends List<String>> headers) {
    Optional<String> taskName = first(headers, "X-CloudTasks-TaskName");
    if (taskName.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new TaskHeaders(
            first(headers, "X-CloudTasks-QueueName").orElse(""),
            taskName.get(),
            count(headers, "X-CloudTasks-TaskRetryCount"),
            count(headers, "X-CloudTasks-TaskExecutionCount"),
            first(headers, "X-CloudTasks-TaskETA").map(TaskHeaders::eta).orElse(null),
            first(headers, "X-CloudTasks-TaskPreviousResponse")
                .map(v -> OptionalInt.of(number("X-CloudTasks-TaskPreviousResponse", v)))
                .orElse(OptionalInt.empty())));
  }

  /** This attempt's number, 1 for the first. */
  public int attempt() {
    return retryCount + 1;
  }

  /** Whether a queue allowing {@code maxAttempts} (-1: unlimited) will not try again. */
  public boolean isLastAttempt(int maxAttempts) {
    return maxAttempts > 0 && attempt() >= maxAttempts;
  }

  private static Optional<String> first(Map<String, ? extends List<String>> headers, String name) {
    for (Map.Entry<String, ? extends List<String>> header : headers.entrySet()) {
      if (header.getKey() != null
          && header.getKey().equalsIgnoreCase(name)
          && !header.getValue().isEmpty()) {
        return Optional.of(header.getValue().get(0).trim());
      }
    }
    return Optional.empty();
  }

  private static int count(Map<String, ? extends List<String>> headers, String name) {
    return first(headers, name).map(v -> number(name, v)).orElse(0);
  }

  private static int number(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProblemException.badRequest(name + " must be a non-negative whole number: " + value);
  }

  /** Seconds since the epoch, with a decimal fraction: {@code 1700000000.123456}. */
  private static Instant eta(String value) {
    Matcher m = ETA.matcher(value);
    if (!m.matches()) {
      throw ProblemException.badRequest(
          "X-CloudTasks-TaskETA must be seconds since the epoch: " + value);
    }
    String fraction = m.group(2) == null ? "" : m.group(2);
    int nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
    return Instant.ofEpochSecond(Long.parseLong(m.group(1)), nanos);
  }
}
