package dev.mise.emulators.tasks;

import com.google.cloud.tasks.v2.Attempt;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Task;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One task waiting in a queue, with what the service remembers of its attempts. Mutated only under
 * the {@link Queues} lock.
 */
final class QueuedTask {

  static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
  private static final Duration MIN_DEADLINE = Duration.ofSeconds(15);
  private static final Duration MAX_DEADLINE = Duration.ofMinutes(30);
  private static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(30);
  private static final int MAX_TASK_BYTES = 100 * 1024;
  private static final int MAX_URL_LENGTH = 2083;
  private static final Set<HttpMethod> METHODS_WITH_BODY =
      EnumSet.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  final String name;
  final String id;
  final HttpRequest http;
  final Instant created;
  final Duration deadline;
  final long sequence;
  Instant scheduleTime;
  int dispatchCount;
  int responseCount;

  /** Responses other than 5xx: what {@code X-CloudTasks-TaskExecutionCount} counts. */
  int executionCount;

  Integer previousResponse;
  Instant firstDispatch;
  Attempt lastAttempt;
  boolean running;
  boolean forced;
  boolean deleted;

  private QueuedTask(
      String name,
      HttpRequest http,
      Instant created,
      Instant scheduleTime,
      Duration deadline,
      long sequence) {
    this.name = name;
    this.id = ResourceNames.taskId(name);
    this.http = http;
    this.created = created;
    this.scheduleTime = scheduleTime;
    this.deadline = deadline;
    this.sequence = sequence;
  }

  /**
   * Checks a CreateTask request's task as the service does and fills in the defaults (method POST,
   * schedule time now, deadline 10 minutes).
   */
  static QueuedTask accept(String name, Task requested, Instant now, long sequence) {
    if (requested.hasAppEngineHttpRequest()) {
      throw ApiErrors.unimplemented(
          "The emulator dispatches HTTP tasks only, not App Engine tasks");
    }
    if (!requested.hasHttpRequest()) {
      throw ApiErrors.invalidArgument("Task must have an http_request (the HTTP target)");
    }
    if (requested.getSerializedSize() > MAX_TASK_BYTES) {
      throw ApiErrors.invalidArgument(
          "Task size too large: " + requested.getSerializedSize() + " bytes, the limit is 100KB");
    }
    HttpRequest http = checkedHttp(requested.getHttpRequest());
    Duration deadline = DEFAULT_DEADLINE;
    if (requested.hasDispatchDeadline()) {
      deadline = Protos.duration(requested.getDispatchDeadline());
      if (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(MAX_DEADLINE) > 0) {
        throw ApiErrors.invalidArgument(
            "dispatch_deadline must be between 15s and 30m for HTTP tasks, was " + deadline);
      }
    }
    Instant scheduleTime = now;
    if (requested.hasScheduleTime()) {
      Instant asked = Protos.instant(requested.getScheduleTime());
      if (asked.isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
        throw ApiErrors.invalidArgument(
            "The task's schedule_time is too far in the future (more than 30 days): " + asked);
      }
      scheduleTime = asked.isAfter(now) ? asked : now;
    }
    return new QueuedTask(name, http, now, scheduleTime, deadline, sequence);
  }

  private static HttpRequest checkedHttp(HttpRequest http) {
    String url = http.getUrl();
    if (url.isEmpty()) {
      throw ApiErrors.invalidArgument("http_request.url is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw ApiErrors.invalidArgument("http_request.url is longer than 2083 characters");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
        throw ApiErrors.invalidArgument(
            "http_request.url must begin with http:// or https:// and name a host: " + url);
      }
    } catch (URISyntaxException e) {
      throw ApiErrors.invalidArgument("http_request.url is not a valid URL: " + e.getMessage());
    }
    HttpRequest.Builder checked = http.toBuilder();
    if (http.getHttpMethod() == HttpMethod.HTTP_METHOD_UNSPECIFIED) {
      checked.setHttpMethod(HttpMethod.POST);
    }
    if (!http.getBody().isEmpty() && !METHODS_WITH_BODY.contains(checked.getHttpMethod())) {
      throw ApiErrors.invalidArgument(
          "A request body is allowed only for POST, PUT and PATCH, not " + checked.getHttpMethod());
    }
    if (http.hasOidcToken() && http.getOidcToken().getServiceAccountEmail().isEmpty()) {
      throw ApiErrors.invalidArgument("oidc_token.service_account_email is required");
    }
    if (http.hasOauthToken() && http.getOauthToken().getServiceAccountEmail().isEmpty()) {
      throw ApiErrors.invalidArgument("oauth_token.service_account_email is required");
    }
    return checked.build();
  }

  /** The task as the API shows it; the BASIC view leaves out the body. */
  Task toProto(Task.View view) {
    Task.View shown = view == Task.View.FULL ? Task.View.FULL : Task.View.BASIC;
    Task.Builder task =
        Task.newBuilder()
            .setName(name)
            .setHttpRequest(shown == Task.View.FULL ? http : http.toBuilder().clearBody().build())
            .setScheduleTime(Protos.timestamp(scheduleTime))
            .setCreateTime(
                Protos.timestamp(created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
            .setDispatchDeadline(Protos.duration(deadline))
            .setDispatchCount(dispatchCount)
            .setResponseCount(responseCount)
            .setView(shown);
    if (firstDispatch != null) {
      task.setFirstAttempt(
          Attempt.newBuilder().setDispatchTime(Protos.timestamp(firstDispatch)).build());
    }
    if (lastAttempt != null) {
      task.setLastAttempt(lastAttempt);
    }
    return task.build();
  }
}
