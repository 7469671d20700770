package dev.mise.common.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.TaskName;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.common.config.Env;
import dev.mise.common.tasks.TaskQueue.Enqueued;
import dev.mise.emulators.tasks.TasksEmulator;
import dev.mise.emulators.testing.RecordingHttpTarget;
import dev.mise.emulators.testing.RecordingHttpTarget.Received;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CloudTasksQueue} through the real google-cloud-tasks client against the emulator of the
 * local stack, delivering to a local HTTP target whose requests {@link TaskHeaders} reads back.
 */
class CloudTasksQueueContractTest {

  private static final String PROJECT = "demo-mise";
  private static final String LOCATION = "us-central1";
  private static final String INVOKER = "mise-invoker@demo-mise.iam.gserviceaccount.com";

  private static TasksEmulator emulator;
  private static CloudTasksQueue tasks;
  private static CloudTasksClient inspector;
  private RecordingHttpTarget target;

  @BeforeAll
  // gax declares the channel configurator over the raw ManagedChannelBuilder.
  @SuppressWarnings("rawtypes")
  static void startEmulator() throws IOException {
    emulator = TasksEmulator.start(0);
    tasks =
        new CloudTasksQueue(
            new Env(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", PROJECT,
                    "CLOUD_TASKS_LOCATION", LOCATION,
                    "CLOUD_TASKS_EMULATOR_HOST", emulator.endpoint())));
    inspector =
        CloudTasksClient.create(
            CloudTasksSettings.newBuilder()
                .setEndpoint(emulator.endpoint())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .setTransportChannelProvider(
                    InstantiatingGrpcChannelProvider.newBuilder()
                        .setEndpoint(emulator.endpoint())
                        .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                        .build())
                .build());
    emulator.putQueue(queue("steps", RetryConfig.getDefaultInstance()));
    emulator.putQueue(
        queue(
            "flaky-steps",
            RetryConfig.newBuilder()
                .setMaxAttempts(4)
                .setMinBackoff(millis(100))
                .setMaxBackoff(millis(800))
                .setMaxDoublings(3)
                .build()));
  }

  @AfterAll
  static void stopEmulator() {
    tasks.close();
    inspector.close();
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
  void taskReachesTheTargetWithItsHeadersAndTheTaskHeaders() throws Exception {
    String url = target.url("/steps/cleanup");
    TaskRequest request =
        TaskRequest.postJson("steps", "job-7-cleanup-0", url, "{\"jobId\":\"job-7\"}")
            .withOidc(INVOKER, "https://cleanup.example");

    Enqueued result = tasks.enqueue(request);
    Received received = target.next();
    TaskHeaders task = TaskHeaders.from(received.headers()).orElseThrow();

    assertEquals(Enqueued.CREATED, result);
    assertEquals("POST", received.method());
    assertEquals("/steps/cleanup", received.path());
    assertEquals("application/json", received.header("Content-Type"));
    assertEquals("{\"jobId\":\"job-7\"}", new String(received.body(), StandardCharsets.UTF_8));
    assertEquals("Google-Cloud-Tasks", received.header("User-Agent"));
    assertEquals("steps", task.queueName());
    assertEquals("job-7-cleanup-0", task.taskName());
    assertEquals(0, task.retryCount());
    assertEquals(0, task.executionCount());
    assertEquals(1, task.attempt());
    assertFalse(task.previousResponse().isPresent());
    assertFalse(
        task.eta().isAfter(Instant.ofEpochMilli(received.arrivedMillis()).plusMillis(1)),
        "the ETA is when the task was due, not later than its arrival");

    JsonObject claims = bearerClaims(received);
    assertEquals("https://cleanup.example", claims.get("aud").getAsString());
    assertEquals(INVOKER, claims.get("email").getAsString());
    assertEquals("https://accounts.google.com", claims.get("iss").getAsString());
  }

  @Test
  void aRepeatedNameIsDuplicateWhileQueuedAndAfterItFinished() throws Exception {
    TaskRequest first = TaskRequest.postJson("steps", "job-8-ocr-0", target.url("/ocr"), "{}");
    TaskRequest later =
        TaskRequest.postJson("steps", "job-8-ocr-1", target.url("/ocr"), "{}")
            .at(Instant.now().plus(Duration.ofHours(1)));

    assertEquals(Enqueued.CREATED, tasks.enqueue(first));
    assertEquals(Enqueued.CREATED, tasks.enqueue(later));
    assertEquals(Enqueued.DUPLICATE, tasks.enqueue(later), "still queued");
    target.next();
    awaitGone("steps", "job-8-ocr-0");

    assertEquals(Enqueued.DUPLICATE, tasks.enqueue(first), "finished recently");
    assertTrue(target.nothingReceived(), "the duplicate was not delivered");
  }

  @Test
  void aFailingTargetIsRetriedWithGrowingBackoffUntilMaxAttempts() throws Exception {
    target.respondWith(500);

    tasks.enqueue(
        TaskRequest.postJson("flaky-steps", "job-9-render-0", target.url("/render"), "{}"));
    List<TaskHeaders> attempts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      attempts.add(TaskHeaders.from(target.next().headers()).orElseThrow());
    }
    awaitGone("flaky-steps", "job-9-render-0");

    assertEquals(List.of(0, 1, 2, 3), attempts.stream().map(TaskHeaders::retryCount).toList());
    assertEquals(
        List.of(false, false, false, true),
        attempts.stream().map(a -> a.isLastAttempt(4)).toList());
    assertEquals(500, attempts.get(3).previousResponse().orElseThrow());
    // Backoff 100, 200, 400 ms: each ETA lies at least that far after the previous one.
    long[] backoff = {100, 200, 400};
    for (int i = 1; i < attempts.size(); i++) {
      Duration gap = Duration.between(attempts.get(i - 1).eta(), attempts.get(i).eta());
      assertTrue(
          gap.toMillis() >= backoff[i - 1], "retry " + i + " only " + gap.toMillis() + " ms later");
    }
    assertTrue(target.nothingReceived(), "no fifth attempt");
  }

  @Test
  void scheduleTimeDelaysDelivery() throws Exception {
    Instant at = Instant.now().plusMillis(700).truncatedTo(ChronoUnit.MICROS);

    tasks.enqueue(TaskRequest.postJson("steps", "job-10-later", target.url("/later"), "{}").at(at));
    Received received = target.next();

    assertTrue(received.arrivedMillis() >= at.toEpochMilli(), "delivered before its time");
    assertEquals(at, TaskHeaders.from(received.headers()).orElseThrow().eta());
  }

  @Test
  void anUnknownQueueIsAnError() {
    TaskRequest lost = TaskRequest.postJson("no-such-queue", "job-11", target.url("/x"), "{}");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tasks.enqueue(lost));
    assertTrue(e.getMessage().contains("NOT_FOUND"), e.getMessage());
  }

  @Test
  void aTaskTheServiceRefusesIsIllegalArgument() {
    TaskRequest tooShortDeadline =
        new TaskRequest(
            "steps",
            "job-12",
            target.url("/x"),
            "POST",
            Map.of(),
            null,
            null,
            Duration.ofSeconds(5),
            null,
            null);

    assertThrows(IllegalArgumentException.class, () -> tasks.enqueue(tooShortDeadline));
  }

  @Test
  void anUnreachableServiceIsATransientTaskQueueException() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (CloudTasksQueue unreachable =
        new CloudTasksQueue(PROJECT, LOCATION, "127.0.0.1:" + closedPort)) {
      assertThrows(
          TaskQueueException.class,
          () ->
              unreachable.enqueue(TaskRequest.postJson("steps", "job-13", target.url("/x"), "{}")));
    }
  }

  private static Queue queue(String id, RetryConfig retry) {
    return Queue.newBuilder()
        .setName(QueueName.of(PROJECT, LOCATION, id).toString())
        .setRetryConfig(retry)
        .build();
  }

  /** Waits until the service has removed the task (done or dropped). */
  private static void awaitGone(String queue, String taskId) throws InterruptedException {
    String name = TaskName.of(PROJECT, LOCATION, queue, taskId).toString();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        inspector.getTask(name);
      } catch (NotFoundException e) {
        return;
      }
      Thread.sleep(20);
    }
    fail("task still queued after 10 s: " + name);
  }

  private static JsonObject bearerClaims(Received received) {
    String authorization = received.header("Authorization");
    assertTrue(authorization != null && authorization.startsWith("Bearer "), authorization);
    String payload = authorization.substring("Bearer ".length()).split("\\.")[1];
    return JsonParser.parseString(
            new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static com.google.protobuf.Duration millis(long ms) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(ms / 1000)
        .setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }
}
