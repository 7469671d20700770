package dev.mise.emulators.tasks;

import com.google.cloud.tasks.v2.HttpRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Sends due tasks to their HTTP targets, as the service does: one loop thread decides what is due
 * (schedule time, pause, max concurrent dispatches, rate limit), the HTTP client sends
 * asynchronously, and each answer feeds back into the queue's retry schedule.
 */
final class Dispatcher implements AutoCloseable {

  static final String USER_AGENT = "Google-Cloud-Tasks";
  // Nothing time-driven is pending when every queue is idle; wake now and then regardless.
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Queues queues;
  private final DispatchLog log;
  private final HttpClient http;
  private final Thread loop;
  private volatile boolean closed;

  Dispatcher(Queues queues, DispatchLog log) {
    this.queues = queues;
    this.log = log;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.loop = Thread.ofPlatform().name("cloud-tasks-dispatcher").daemon().unstarted(this::run);
  }

  void start() {
    loop.start();
  }

  private void run() {
    queues.lock.lock();
    try {
      while (!closed) {
        Instant now = queues.now();
        long nanoNow = queues.nanoTime();
        long wait = IDLE_NANOS;
        for (QueueState queue : queues.all()) {
          QueueState.Next next = queue.next(now, nanoNow);
          while (next.task() != null) {
            send(queue, next.task(), now);
            next = queue.next(now, nanoNow);
          }
          wait = Math.min(wait, next.waitNanos());
        }
        queues.changed.awaitNanos(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      queues.lock.unlock();
    }
  }

  /** Starts one attempt; called with the lock held. */
  private void send(QueueState queue, QueuedTask task, Instant now) {
    java.net.http.HttpRequest request = null;
    IllegalArgumentException refused = null;
    try {
      request = request(queue, task, now);
    } catch (IllegalArgumentException e) {
      // A header or URL the HTTP client refuses: the attempt fails like an unreachable target.
      refused = e;
    }
    int attempt = ++task.dispatchCount;
    if (task.firstDispatch == null) {
      task.firstDispatch = now;
    }
    if (request == null) {
      complete(queue, task, attempt, now, null, refused);
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> complete(queue, task, attempt, now, response, error));
  }

  private java.net.http.HttpRequest request(QueueState queue, QueuedTask task, Instant now) {
    HttpRequest target = task.http;
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    target
        .getHeadersMap()
        .forEach(
            (name, value) -> {
              if (!replacedByService(name, target)) {
                headers.put(name, value);
              }
            });
    headers.put("User-Agent", USER_AGENT);
    headers.put("X-CloudTasks-QueueName", queue.id);
    headers.put("X-CloudTasks-TaskName", task.id);
    headers.put("X-CloudTasks-TaskRetryCount", Integer.toString(task.dispatchCount));
    headers.put("X-CloudTasks-TaskExecutionCount", Integer.toString(task.executionCount));
    headers.put("X-CloudTasks-TaskETA", eta(task.scheduleTime));
    if (task.previousResponse != null) {
      headers.put("X-CloudTasks-TaskPreviousResponse", task.previousResponse.toString());
    }
    if (target.hasOidcToken()) {
      String audience = target.getOidcToken().getAudience();
      String token =
          OidcTokens.idToken(
              target.getOidcToken().getServiceAccountEmail(),
              audience.isEmpty() ? target.getUrl() : audience,
              now);
      headers.put("Authorization", "Bearer " + token);
    } else if (target.hasOauthToken()) {
      // An opaque stand-in: nothing local can mint Google access tokens.
      String account = target.getOauthToken().getServiceAccountEmail();
      headers.put(
          "Authorization",
          "Bearer local-access-token."
              + Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(account.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] body = target.getBody().toByteArray();
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(URI.create(target.getUrl()))
            .timeout(task.deadline)
            .method(
                target.getHttpMethod().name(),
                body.length == 0
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return request.build();
  }

  /**
   * Headers the service computes or reserves (Host, Content-Length, User-Agent, X-Google-*,
   * X-AppEngine-*, X-CloudTasks-*, and Authorization when a token is asked for), plus the
   * connection headers Java's client refuses.
   */
  private static boolean replacedByService(String name, HttpRequest target) {
    String lower = name.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "host", "content-length", "user-agent", "connection", "expect", "upgrade" -> true;
      case "authorization" -> target.hasOidcToken() || target.hasOauthToken();
      default ->
          lower.startsWith("x-google-")
              || lower.startsWith("x-appengine-")
              || lower.startsWith("x-cloudtasks-");
    };
  }

  /** Seconds since the epoch with microseconds, as the service writes X-CloudTasks-TaskETA. */
  static String eta(Instant scheduleTime) {
    return scheduleTime.getEpochSecond()
        + "."
        + String.format(Locale.ROOT, "%06d", scheduleTime.getNano() / 1000);
  }

  private void complete(
      QueueState queue,
      QueuedTask task,
      int attempt,
      Instant dispatched,
      HttpResponse<?> response,
      Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    queues.lock.lock();
    try {
      Instant now = queues.now();
      Integer status = response == null ? null : response.statusCode();
      com.google.rpc.Status result =
          status != null
              ? RpcCodes.ofHttp(status)
              : RpcCodes.ofNoResponse(cause instanceof HttpTimeoutException, String.valueOf(cause));
      QueueState.Outcome outcome = queue.finish(task, status, result, dispatched, now);
      if (!closed) {
        log.attempt(
            queue.id,
            task.id,
            attempt,
            status,
            cause,
            outcome,
            outcome == QueueState.Outcome.RETRY ? task.scheduleTime : null,
            Duration.between(dispatched, now));
      }
      queues.changed.signalAll();
    } finally {
      queues.lock.unlock();
    }
  }

  @Override
  public void close() {
    queues.lock.lock();
    try {
      closed = true;
      queues.changed.signalAll();
    } finally {
      queues.lock.unlock();
    }
    try {
      loop.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.shutdownNow();
  }
}
