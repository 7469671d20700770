package dev.mise.common.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One HTTP task: the queue's short name (the adapter adds project and location), an optional task
 * id for deduplication, the target, and how the queue should authenticate to it.
 *
 * <p>The record checks what Cloud Tasks would refuse anyway, so a malformed task fails where it is
 * built: task ids are letters, digits, hyphens and underscores (at most 500), methods are those
 * Cloud Tasks sends.
 *
 * @param queue queue id, e.g. {@code "ocr-steps"}
 * @param taskId task id, unique within the queue, or null for a queue-chosen one
 * @param url absolute target URL
 * @param method HTTP method, usually POST
 * @param headers request headers
 * @param body request body, may be empty
 * @param scheduleTime earliest dispatch, or null for now
 * @param dispatchDeadline how long the queue waits for the target, or null for the default
 * @param oidcServiceAccount service account whose OIDC token is sent, or null for none
 * @param oidcAudience audience of that token, or null for the URL
 */
public record TaskRequest(
    String queue,
    String taskId,
    String url,
    String method,
    Map<String, String> headers,
    byte[] body,
    Instant scheduleTime,
    Duration dispatchDeadline,
    String oidcServiceAccount,
    String oidcAudience) {

  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,500}");
  private static final Set<String> METHODS =
      Set.of("POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS");

  public TaskRequest {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(url, "url");
    if (taskId != null && !TASK_ID.matcher(taskId).matches()) {
      throw new IllegalArgumentException(
          "task id must be 1-500 letters, digits, hyphens or underscores: " + taskId);
    }
    method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("Cloud Tasks cannot send " + method);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** A POST of a JSON body to the URL, with a task id for deduplication. */
  public static TaskRequest postJson(String queue, String taskId, String url, String json) {
    return new TaskRequest(
        queue,
        taskId,
        url,
        "POST",
        Map.of("Content-Type", "application/json"),
        json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        null,
        null,
        null,
        null);
  }

  /** The same task, authenticated with an OIDC token for the service account. */
  public TaskRequest withOidc(String serviceAccount, String audience) {
    return new TaskRequest(
        queue,
        taskId,
        url,
        method,
        headers,
        body,
        scheduleTime,
        dispatchDeadline,
        serviceAccount,
        audience);
  }

  /** The same task, dispatched no earlier than the given time. */
  public TaskRequest at(Instant when) {
    return new TaskRequest(
        queue,
        taskId,
        url,
        method,
        headers,
        body,
        when,
        dispatchDeadline,
        oidcServiceAccount,
        oidcAudience);
  }
}
