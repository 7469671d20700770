package dev.mise.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import dev.mise.common.config.Env;
import dev.mise.common.events.PubSubEventBus;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.emulators.eventarc.Backoff;
import dev.mise.emulators.eventarc.Delivery;
import dev.mise.emulators.eventarc.EventarcStandIn;
import dev.mise.emulators.eventarc.PubSubCloudEvent;
import dev.mise.emulators.eventarc.Trigger;
import dev.mise.emulators.google.FunctionInvoker;
import dev.mise.emulators.google.SharedEmulators;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole chain as the cloud runs it: {@link PubSubEventBus} publishes to the Pub/Sub emulator,
 * the Eventarc stand-in delivers a CloudEvent to {@link EventEcho} running under the official
 * {@code java-function-invoker}, which writes to the Firestore emulator. {@link HealthCheck} runs
 * under the invoker too.
 */
@Tag("emulator")
class HealthEndToEndTest {

  private static final String PROJECT =
      "demo-health-" + Long.toString(System.nanoTime() % 1_000_000, 36);
  private static final String TOPIC = "health-events";
  private static final String DEAD_TOPIC = "health-events-dead";
  private static final int MAX_ATTEMPTS = 5;

  private static FunctionInvoker echo;
  private static FunctionInvoker health;
  private static EventarcStandIn eventarc;
  private static PubSubEventBus bus;
  private static FirestoreJobStore firestore;
  private static ManagedChannel channel;
  private static SubscriptionAdminClient subscriptions;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startTheStack() throws Exception {
    SharedEmulators.startBoth();
    String firestoreHost = SharedEmulators.firestore().host();
    String pubsubHost = SharedEmulators.pubsub().host();
    Map<String, String> env =
        Map.of(
            "GOOGLE_CLOUD_PROJECT", PROJECT,
            "FIRESTORE_EMULATOR_HOST", firestoreHost,
            "PUBSUB_EMULATOR_HOST", pubsubHost,
            "K_SERVICE", "health-e2e");
    echo =
        FunctionInvoker.start(
            FunctionInvoker.locateJar(), functionClasspath(), EventEcho.class.getName(), env);
    health =
        FunctionInvoker.start(
            FunctionInvoker.locateJar(), functionClasspath(), HealthCheck.class.getName(), env);
    eventarc =
        EventarcStandIn.start(
            PROJECT,
            pubsubHost,
            List.of(new Trigger("health-echo", TOPIC, echo.url(), DEAD_TOPIC, MAX_ATTEMPTS)),
            new Backoff(Duration.ofMillis(100), Duration.ofMillis(400)));
    bus = new PubSubEventBus(new Env(env));
    firestore = new FirestoreJobStore(new Env(env));

    channel = ManagedChannelBuilder.forTarget(pubsubHost).usePlaintext().build();
    subscriptions =
        SubscriptionAdminClient.create(
            SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    // As the manifest's health-events-dead-keep does: dead letters need a subscription to stay.
    subscriptions.createSubscription(
        Subscription.newBuilder()
            .setName(SubscriptionName.format(PROJECT, "health-events-dead-keep"))
            .setTopic(TopicName.format(PROJECT, DEAD_TOPIC))
            .build());
  }

  @AfterAll
  static void stopTheStack() throws Exception {
    for (AutoCloseable closeable :
        new AutoCloseable[] {eventarc, bus, firestore, subscriptions, echo, health}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  @Test
  void aPublishedMessageReachesEventEchoAsACloudEventAndIsWrittenToFirestore() throws Exception {
    String id = bus.publish(TOPIC, "ping".getBytes(StandardCharsets.UTF_8), Map.of("from", "e2e"));

    Map<String, Object> doc = await(() -> firestore.get("healthEchoes", id), "the echo document");

    assertEquals(id, doc.get("eventId"), "ce-id is the message id");
    assertEquals(id, doc.get("messageId"));
    assertEquals("ping", doc.get("data"));
    assertEquals(Map.of("from", "e2e"), doc.get("attributes"));
    assertEquals(
        "//pubsub.googleapis.com/projects/" + PROJECT + "/topics/" + TOPIC, doc.get("source"));
    assertEquals(
        "projects/" + PROJECT + "/subscriptions/eventarc-local-health-echo",
        doc.get("subscription"));
    assertEquals(
        List.of(Delivery.Outcome.ACKED),
        awaitDeliveries(id, 1).stream().map(Delivery::outcome).toList());
  }

  @Test
  void theSameEventDeliveredAgainWritesOnce() throws Exception {
    String id = bus.publish(TOPIC, "once".getBytes(StandardCharsets.UTF_8), Map.of());
    Map<String, Object> first = await(() -> firestore.get("healthEchoes", id), "the echo document");

    // Eventarc redelivers the identical event (same ce-id) when an ack is lost.
    PubsubMessage again =
        PubsubMessage.newBuilder()
            .setMessageId(id)
            .setData(ByteString.copyFromUtf8("once"))
            .setPublishTime(Timestamps.fromMillis(System.currentTimeMillis()))
            .build();
    HttpResponse<String> response =
        http.send(
            PubSubCloudEvent.of(PROJECT, TOPIC, "eventarc-local-health-echo", again)
                .toRequest(echo.url(), Duration.ofSeconds(30)),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals(first, firestore.get("healthEchoes", id).orElseThrow());
  }

  @Test
  void aFailingMessageIsRetriedThenDeadLetteredAfterMaxDeliveryAttempts() throws Exception {
    String id =
        bus.publish(TOPIC, "poison".getBytes(StandardCharsets.UTF_8), Map.of("fail", "true"));

    ReceivedMessage dead = pullDeadLetter("poison");

    assertEquals("poison", dead.getMessage().getData().toStringUtf8());
    Map<String, String> attributes = dead.getMessage().getAttributesMap();
    assertEquals(
        Integer.toString(MAX_ATTEMPTS), attributes.get("CloudPubSubDeadLetterSourceDeliveryCount"));
    assertEquals(
        "eventarc-local-health-echo", attributes.get("CloudPubSubDeadLetterSourceSubscription"));
    List<Delivery> attempts = awaitDeliveries(id, MAX_ATTEMPTS);
    assertEquals(List.of(1, 2, 3, 4, 5), attempts.stream().map(Delivery::attempt).toList());
    assertTrue(attempts.stream().allMatch(d -> d.status() == 500), attempts.toString());
    assertEquals(Delivery.Outcome.DEAD_LETTERED, attempts.get(MAX_ATTEMPTS - 1).outcome());
    assertEquals(Optional.empty(), firestore.get("healthEchoes", id));
  }

  @Test
  void healthCheckAnswersGetWithJsonAndOtherMethodsWithAProblem() throws Exception {
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(health.url()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(health.url())
                .header("X-Request-Id", "req-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, get.statusCode());
    assertTrue(
        get.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    JsonObject body = JsonParser.parseString(get.body()).getAsJsonObject();
    assertEquals("ok", body.get("status").getAsString());
    assertEquals("health-e2e", body.get("service").getAsString());
    java.time.Instant.parse(body.get("time").getAsString());

    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    assertTrue(
        post.headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("application/problem+json"));
    JsonObject problem = JsonParser.parseString(post.body()).getAsJsonObject();
    assertEquals(405, problem.get("status").getAsInt());
    assertEquals("req-1", problem.get("instance").getAsString());
  }

  // --- helpers

  /** The function's classes and runtime dependencies, as the deploy jar holds them. */
  private static String functionClasspath() throws Exception {
    String classes = System.getProperty("mise.function.classes", "target/classes");
    Path dependencies =
        Path.of(System.getProperty("mise.function.classpath.file", "target/runtime-classpath.txt"));
    return classes + java.io.File.pathSeparator + Files.readString(dependencies).trim();
  }

  private static <T> T await(Supplier<Optional<T>> probe, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "timed out waiting for " + what + "; function log:\n" + echo.logTail());
  }

  private static List<Delivery> awaitDeliveries(String id, int count) throws InterruptedException {
    return await(
        () -> {
          List<Delivery> deliveries = eventarc.deliveries(id);
          return deliveries.size() >= count ? Optional.of(deliveries) : Optional.empty();
        },
        count + " deliveries of " + id);
  }

  private static ReceivedMessage pullDeadLetter(String data) throws InterruptedException {
    PullRequest pull =
        PullRequest.newBuilder()
            .setSubscription(SubscriptionName.format(PROJECT, "health-events-dead-keep"))
            .setMaxMessages(10)
            .build();
    return await(
        () ->
            subscriptions.pull(pull).getReceivedMessagesList().stream()
                .filter(r -> r.getMessage().getData().toStringUtf8().equals(data))
                .findFirst(),
        "the dead letter holding " + data);
  }
}
