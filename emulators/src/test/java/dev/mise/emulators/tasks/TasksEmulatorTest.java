package dev.mise.emulators.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import dev.mise.emulators.testing.RecordingHttpTarget;
import dev.mise.emulators.testing.RecordingHttpTarget.Received;
import io.grpc.ManagedChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator through the unmodified google-cloud-tasks client, delivering to a local target. */
class TasksEmulatorTest {

  private static final String LOCATION = "projects/demo-mise/locations/us-central1";
  private static final String SERVICE_ACCOUNT = "steps@demo-mise.iam.gserviceaccount.com";

  private static final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private static TasksEmulator emulator;
  private static CloudTasksClient client;
  private RecordingHttpTarget target;

  @BeforeAll
  static void startEmulator() throws IOException {
    emulator =
        TasksEmulator.start(
            0, Duration.ofHours(1), new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    client = clientFor(emulator.endpoint());
  }

  // gax declares the channel configurator over the raw ManagedChannelBuilder.
  @SuppressWarnings("rawtypes")
  static CloudTasksClient clientFor(String endpoint) throws IOException {
    return CloudTasksClient.create(
        CloudTasksSettings.newBuilder()
            .setEndpoint(endpoint)
            .setCredentialsProvider(NoCredentialsProvider.create())
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(endpoint)
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build())
            .build());
  }

  @AfterAll
  static void stopEmulator() {
    client.close();
    emulator.close();
  }

  @BeforeEach
  void startTarget() {
    target = RecordingHttpTarget.start();
  }

  @AfterEach
  void stopTarget() {
    target.close();
  }

  @Test
  void deliversMethodHeadersBodyAndTheServiceHeaders() throws Exception {
    String queue = createQueue("deliver", q -> q);
    String name = queue + "/tasks/job-1_ocr";

    Task created =
        client.createTask(
            queue,
            Task.newBuilder()
                .setName(name)
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(target.url("/steps/ocr?job=1"))
                        .setHttpMethod(HttpMethod.PUT)
                        .putHeaders("Content-Type", "application/json")
                        .putHeaders("X-Job", "job-1")
                        .putHeaders("User-Agent", "replaced-by-the-service")
                        .putHeaders("X-CloudTasks-TaskName", "spoofed")
                        .setBody(ByteString.copyFromUtf8("{\"page\":1}"))
                        .setOidcToken(
                            OidcToken.newBuilder()
                                .setServiceAccountEmail(SERVICE_ACCOUNT)
                                .setAudience("https://steps.example")))
                .build());
    Received request = target.next();

    assertEquals(name, created.getName());
    assertEquals("PUT", request.method());
    assertEquals("/steps/ocr?job=1", request.path());
    assertEquals("{\"page\":1}", new String(request.body(), StandardCharsets.UTF_8));
    assertEquals("application/json", request.header("Content-Type"));
    assertEquals("job-1", request.header("X-Job"));
    assertEquals("Google-Cloud-Tasks", request.header("User-Agent"));
    assertEquals("deliver", request.header("X-CloudTasks-QueueName"));
    assertEquals("job-1_ocr", request.header("X-CloudTasks-TaskName"));
    assertEquals("0", request.header("X-CloudTasks-TaskRetryCount"));
    assertEquals("0", request.header("X-CloudTasks-TaskExecutionCount"));
    assertEquals(
        Dispatcher.eta(Protos.instant(created.getScheduleTime())),
        request.header("X-CloudTasks-TaskETA"));
    assertNull(request.header("X-CloudTasks-TaskPreviousResponse"));

    JsonObject claims = bearerClaims(request);
    assertEquals("https://accounts.google.com", claims.get("iss").getAsString());
    assertEquals("https://steps.example", claims.get("aud").getAsString());
    assertEquals(SERVICE_ACCOUNT, claims.get("email").getAsString());
    assertTrue(claims.get("email_verified").getAsBoolean());
    assertTrue(claims.get("sub").getAsString().matches("\\d{21}"));
    assertEquals(3600, claims.get("exp").getAsLong() - claims.get("iat").getAsLong());

    awaitGone(name);
    assertThrows(AlreadyExistsException.class, () -> client.createTask(queue, postTo(name)));
  }

  @Test
  void oidcAudienceDefaultsToTheUrlAndGetHasNoBody() throws Exception {
    String queue = createQueue("audience", q -> q);
    String url = target.url("/steps/check");

    client.createTask(
        queue,
        Task.newBuilder()
            .setHttpRequest(
                HttpRequest.newBuilder()
                    .setUrl(url)
                    .setHttpMethod(HttpMethod.GET)
                    .setOidcToken(OidcToken.newBuilder().setServiceAccountEmail(SERVICE_ACCOUNT)))
            .build());
    Received request = target.next();

    assertEquals("GET", request.method());
    assertEquals(0, request.body().length);
    assertEquals(url, bearerClaims(request).get("aud").getAsString());
  }

  @Test
  void failingTargetIsRetriedWithGrowingBackoffUntilMaxAttempts() throws Exception {
    String queue =
        createQueue(
            "retry",
            q ->
                q.setRetryConfig(
                    RetryConfig.newBuilder()
                        .setMaxAttempts(5)
                        .setMinBackoff(millis(100))
                        .setMaxBackoff(millis(800))
                        .setMaxDoublings(2)));
    target.respondWith(503, 404, 500, 404, 500);
    String name = queue + "/tasks/always-fails";

    client.createTask(queue, postTo(name));
    List<Received> attempts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      attempts.add(target.next());
    }
    awaitGone(name);

    assertEquals(List.of("0", "1", "2", "3", "4"), header(attempts, "X-CloudTasks-TaskRetryCount"));
    // 5xx answers do not count as executions; 4xx answers do.
    assertEquals(
        List.of("0", "0", "1", "1", "2"), header(attempts, "X-CloudTasks-TaskExecutionCount"));
    assertEquals(
        java.util.Arrays.asList(null, "503", "404", "500", "404"),
        header(attempts, "X-CloudTasks-TaskPreviousResponse"));
    // Each retry's ETA lies at least its backoff (100, 200, 400 ms, then linear: 800) after the
    // previous attempt's: the intervals grow as the retry config says.
    long[] backoffMillis = {100, 200, 400, 800};
    for (int i = 1; i < 5; i++) {
      long gapMicros = etaMicros(attempts.get(i)) - etaMicros(attempts.get(i - 1));
      assertTrue(
          gapMicros >= backoffMillis[i - 1] * 1000,
          "retry " + i + " came " + gapMicros + " µs after the previous attempt");
    }
    assertTrue(target.nothingReceived(), "no attempt after max attempts");
    List<String> lines = logLinesFor("always-fails");
    assertEquals(5, lines.size(), "one log line per dispatch");
    assertTrue(lines.get(4).contains("\"outcome\":\"dropped\""), lines.get(4));
  }

  @Test
  void scheduleTimeDelaysTheDispatch() throws Exception {
    String queue = createQueue("scheduled", q -> q);
    Instant at = Instant.now().plusMillis(800);

    client.createTask(
        queue,
        postTo(queue + "/tasks/later").toBuilder().setScheduleTime(Protos.timestamp(at)).build());
    Received request = target.next();

    assertTrue(request.arrivedMillis() >= at.toEpochMilli(), "dispatched before its schedule time");
    assertEquals(
        Dispatcher.eta(Protos.instant(Protos.timestamp(at))),
        request.header("X-CloudTasks-TaskETA"));
  }

  @Test
  void maxConcurrentDispatchesOneMeansNeverTwoInFlight() throws Exception {
    String queue =
        createQueue(
            "one-at-a-time",
            q -> q.setRateLimits(RateLimits.newBuilder().setMaxConcurrentDispatches(1)));
    target.holdFor(100);

    for (int i = 0; i < 4; i++) {
      client.createTask(queue, postTo(queue + "/tasks/t" + i));
    }
    for (int i = 0; i < 4; i++) {
      target.next();
    }

    assertEquals(1, target.maxInFlight());
  }

  @Test
  void unknownQueueIsNotFound() {
    String missing = LOCATION + "/queues/no-such-queue";

    assertThrows(NotFoundException.class, () -> client.getQueue(missing));
    assertThrows(
        NotFoundException.class, () -> client.createTask(missing, postTo(missing + "/tasks/a")));
    assertThrows(NotFoundException.class, () -> client.getTask(missing + "/tasks/a"));
  }

  @Test
  void invalidRequestsAreInvalidArgument() {
    String queue = createQueue("invalid", q -> q);
    String other = LOCATION + "/queues/other";
    String url = target.url("/x");

    assertInvalid(queue, postTo(queue + "/tasks/has space"));
    assertInvalid(queue, postTo(queue + "/tasks/" + "a".repeat(501)));
    assertInvalid(queue, postTo(other + "/tasks/elsewhere"));
    assertInvalid(queue, Task.newBuilder().setName(queue + "/tasks/no-target").build());
    assertInvalid(queue, withHttp(queue, "ftp-url", h -> h.setUrl("ftp://127.0.0.1/x")));
    assertInvalid(queue, withHttp(queue, "no-url", h -> h.setUrl("")));
    assertInvalid(
        queue,
        withHttp(
            queue,
            "get-body",
            h ->
                h.setUrl(url).setHttpMethod(HttpMethod.GET).setBody(ByteString.copyFromUtf8("x"))));
    assertInvalid(
        queue, postTo(queue + "/tasks/short").toBuilder().setDispatchDeadline(seconds(14)).build());
    assertInvalid(
        queue,
        postTo(queue + "/tasks/long").toBuilder().setDispatchDeadline(seconds(1801)).build());
    assertInvalid(
        queue,
        postTo(queue + "/tasks/far").toBuilder()
            .setScheduleTime(Protos.timestamp(Instant.now().plus(Duration.ofDays(31))))
            .build());
    assertInvalid(
        queue,
        withHttp(
            queue, "big", h -> h.setUrl(url).setBody(ByteString.copyFrom(new byte[101 * 1024]))));
    assertThrows(
        InvalidArgumentException.class,
        () ->
            client.createQueue(
                LOCATION, Queue.newBuilder().setName(LOCATION + "/queues/under_score").build()));
    assertThrows(
        InvalidArgumentException.class,
        () ->
            client.createQueue(
                "projects/demo-mise", Queue.newBuilder().setName(LOCATION + "/queues/x").build()));

    Task accepted =
        client.createTask(
            queue,
            postTo(queue + "/tasks/edge-deadline").toBuilder()
                .setDispatchDeadline(seconds(15))
                .build());
    assertEquals(15, accepted.getDispatchDeadline().getSeconds());
  }

  @Test
  void queueLifecycleThroughTheApi() throws Exception {
    String queue = createQueue("lifecycle", q -> q);

    Queue defaults = client.getQueue(queue);
    assertEquals(500, defaults.getRateLimits().getMaxDispatchesPerSecond());
    assertEquals(1000, defaults.getRateLimits().getMaxConcurrentDispatches());
    assertEquals(100, defaults.getRetryConfig().getMaxAttempts());
    assertEquals(16, defaults.getRetryConfig().getMaxDoublings());
    assertEquals(Queue.State.RUNNING, defaults.getState());
    assertThrows(
        AlreadyExistsException.class,
        () -> client.createQueue(LOCATION, Queue.newBuilder().setName(queue).build()));

    Queue updated =
        client.updateQueue(
            Queue.newBuilder()
                .setName(queue)
                .setRetryConfig(RetryConfig.newBuilder().setMaxAttempts(7))
                .build(),
            FieldMask.newBuilder().addPaths("retry_config.max_attempts").build());
    assertEquals(7, updated.getRetryConfig().getMaxAttempts());
    assertEquals(16, updated.getRetryConfig().getMaxDoublings(), "fields outside the mask stay");

    assertEquals(Queue.State.PAUSED, client.pauseQueue(queue).getState());
    client.createTask(queue, postTo(queue + "/tasks/waits"));
    assertEquals(1, listTasks(queue).size());
    assertEquals(Queue.State.RUNNING, client.resumeQueue(queue).getState());
    assertEquals("waits", target.next().header("X-CloudTasks-TaskName"));

    client.pauseQueue(queue);
    client.createTask(queue, postTo(queue + "/tasks/purged-1"));
    client.createTask(queue, postTo(queue + "/tasks/purged-2"));
    Queue purged = client.purgeQueue(queue);
    assertTrue(purged.hasPurgeTime());
    assertEquals(0, listTasks(queue).size());

    assertTrue(listQueueNames().contains(queue), "the location lists the queue");
    client.deleteQueue(queue);
    assertThrows(NotFoundException.class, () -> client.getQueue(queue));
    assertFalse(listQueueNames().contains(queue));
  }

  @Test
  void tasksCanBeListedReadDeletedAndRun() throws Exception {
    String queue = createQueue("tasks-api", q -> q);
    client.pauseQueue(queue);

    Task generated =
        client.createTask(
            queue,
            withHttp(
                queue,
                null,
                h -> h.setUrl(target.url("/run")).setBody(ByteString.copyFromUtf8("b"))));
    assertTrue(generated.getName().matches(queue + "/tasks/\\d+"), generated.getName());
    assertEquals(Task.View.BASIC, generated.getView());
    assertTrue(generated.getHttpRequest().getBody().isEmpty(), "BASIC leaves the body out");
    Task full =
        client.getTask(
            com.google.cloud.tasks.v2.GetTaskRequest.newBuilder()
                .setName(generated.getName())
                .setResponseView(Task.View.FULL)
                .build());
    assertEquals("b", full.getHttpRequest().getBody().toStringUtf8());
    assertEquals(600, full.getDispatchDeadline().getSeconds());

    String later = queue + "/tasks/deleted";
    client.createTask(
        queue,
        postTo(later).toBuilder()
            .setScheduleTime(Protos.timestamp(Instant.now().plusSeconds(3600)))
            .build());
    assertEquals(2, listTasks(queue).size());
    client.deleteTask(later);
    assertThrows(NotFoundException.class, () -> client.getTask(later));
    assertThrows(NotFoundException.class, () -> client.deleteTask(later));
    assertThrows(AlreadyExistsException.class, () -> client.createTask(queue, postTo(later)));

    // RunTask dispatches at once, even from a paused queue.
    client.runTask(generated.getName());
    assertEquals("/run", target.next().path());
    awaitGone(generated.getName());
  }

  @Test
  void aFinishedNameIsFreeAgainAfterTheRetentionPeriod() throws Exception {
    try (TasksEmulator shortMemory =
            TasksEmulator.start(
                0,
                Duration.ofMillis(300),
                new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        CloudTasksClient shortClient = clientFor(shortMemory.endpoint())) {
      String queue = LOCATION + "/queues/short-memory";
      shortClient.createQueue(LOCATION, Queue.newBuilder().setName(queue).build());
      String name = queue + "/tasks/again";
      Task future =
          postTo(name).toBuilder()
              .setScheduleTime(Protos.timestamp(Instant.now().plusSeconds(3600)))
              .build();

      shortClient.createTask(queue, future);
      shortClient.deleteTask(name);
      assertThrows(AlreadyExistsException.class, () -> shortClient.createTask(queue, future));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        try {
          shortClient.createTask(queue, future);
          break;
        } catch (AlreadyExistsException e) {
          if (System.nanoTime() > deadline) {
            fail("the name stayed refused past its retention period");
          }
          Thread.sleep(50);
        }
      }
      assertEquals(name, shortClient.getTask(name).getName());
    }
  }

  private String createQueue(String id, UnaryOperator<Queue.Builder> config) {
    Queue queue = config.apply(Queue.newBuilder().setName(LOCATION + "/queues/" + id)).build();
    return client.createQueue(LOCATION, queue).getName();
  }

  private Task postTo(String name) {
    return Task.newBuilder()
        .setName(name)
        .setHttpRequest(HttpRequest.newBuilder().setUrl(target.url("/step")))
        .build();
  }

  private static Task withHttp(String queue, String id, UnaryOperator<HttpRequest.Builder> http) {
    Task.Builder task = Task.newBuilder().setHttpRequest(http.apply(HttpRequest.newBuilder()));
    if (id != null) {
      task.setName(queue + "/tasks/" + id);
    }
    return task.build();
  }

  private static void assertInvalid(String queue, Task task) {
    assertThrows(
        InvalidArgumentException.class,
        () -> client.createTask(queue, task),
        () -> "expected INVALID_ARGUMENT for " + task.getName());
  }

  private static List<Task> listTasks(String queue) {
    List<Task> tasks = new ArrayList<>();
    client.listTasks(queue).iterateAll().forEach(tasks::add);
    return tasks;
  }

  private static List<String> listQueueNames() {
    List<String> names = new ArrayList<>();
    client.listQueues(LOCATION).iterateAll().forEach(q -> names.add(q.getName()));
    return names;
  }

  /** Waits until the service has deleted the task (done or dropped). */
  private static void awaitGone(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        client.getTask(name);
      } catch (NotFoundException e) {
        return;
      }
      Thread.sleep(20);
    }
    fail("task still queued after 10 s: " + name);
  }

  private static JsonObject bearerClaims(Received request) {
    String authorization = request.header("Authorization");
    assertTrue(authorization.startsWith("Bearer "), authorization);
    String[] parts = authorization.substring("Bearer ".length()).split("\\.", -1);
    assertEquals(3, parts.length, "header.payload.signature");
    JsonObject header = decode(parts[0]);
    assertEquals("none", header.get("alg").getAsString());
    return decode(parts[1]);
  }

  private static JsonObject decode(String part) {
    return JsonParser.parseString(
            new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static List<String> header(List<Received> requests, String name) {
    List<String> values = new ArrayList<>();
    requests.forEach(r -> values.add(r.header(name)));
    return values;
  }

  private static long etaMicros(Received request) {
    String[] parts = request.header("X-CloudTasks-TaskETA").split("\\.");
    assertEquals(6, parts[1].length(), "ETA has microseconds");
    return Long.parseLong(parts[0]) * 1_000_000 + Long.parseLong(parts[1]);
  }

  private static List<String> logLinesFor(String taskId) {
    return logBytes
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains("\"task\":\"" + taskId + "\""))
        .toList();
  }

  private static com.google.protobuf.Duration millis(long ms) {
    return Protos.duration(Duration.ofMillis(ms));
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return Protos.duration(Duration.ofSeconds(s));
  }
}
