package dev.mise.emulators.eventarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mise.emulators.google.LocalProcess;
import dev.mise.emulators.google.SharedEmulators;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stand-in against the real Pub/Sub emulator, publishing with the real client library. */
@Tag("emulator")
class EventarcStandInTest {

  private static final String PROJECT = "demo-eventarc-test";
  private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));

  private static ManagedChannel channel;
  private static TransportChannelProvider transport;
  private static SubscriptionAdminClient subscriptions;
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);
  private static final AtomicInteger names = new AtomicInteger();

  private HttpServer target;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private volatile Answer answer = (id, call) -> 204;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  interface Answer {
    int status(String messageId, int call);
  }

  record Received(Map<String, String> headers, JsonObject body) {}

  @BeforeAll
  static void connect() throws IOException {
    channel =
        ManagedChannelBuilder.forTarget(SharedEmulators.pubsub().host()).usePlaintext().build();
    transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    subscriptions =
        SubscriptionAdminClient.create(
            SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  @AfterAll
  static void disconnect() {
    subscriptions.close();
    channel.shutdownNow();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeAfter.reversed()) {
      closeable.close();
    }
    if (target != null) {
      target.stop(0);
    }
  }

  @Test
  void deliversAMessageAsAMessagePublishedCloudEventAndAcksIt() throws Exception {
    String topic = uniqueName("topic");
    EventarcStandIn eventarc = start(Trigger.of(uniqueName("trigger"), topic, targetUrl()));

    String id =
        publish(topic, "héllo".getBytes(StandardCharsets.UTF_8), Map.of("kind", "greeting"));

    Received event = received.poll(30, TimeUnit.SECONDS);
    assertTrue(event != null, "no delivery");
    assertEquals("1.0", event.headers().get("ce-specversion"));
    assertEquals(id, event.headers().get("ce-id"));
    assertEquals(
        "//pubsub.googleapis.com/projects/" + PROJECT + "/topics/" + topic,
        event.headers().get("ce-source"));
    assertEquals("google.cloud.pubsub.topic.v1.messagePublished", event.headers().get("ce-type"));
    assertTrue(event.headers().get("content-type").startsWith("application/json"));
    JsonObject message = event.body().getAsJsonObject("message");
    assertEquals(
        "héllo",
        new String(
            Base64.getDecoder().decode(message.get("data").getAsString()), StandardCharsets.UTF_8));
    assertEquals("greeting", message.getAsJsonObject("attributes").get("kind").getAsString());
    assertEquals(id, message.get("messageId").getAsString());
    assertEquals(id, message.get("message_id").getAsString());
    String publishTime = message.get("publishTime").getAsString();
    assertEquals(publishTime, message.get("publish_time").getAsString());
    assertEquals(publishTime, event.headers().get("ce-time"));
    Instant.parse(publishTime);
    assertTrue(
        event
            .body()
            .get("subscription")
            .getAsString()
            .matches(
                "projects/" + PROJECT + "/subscriptions/eventarc-local-trigger-[a-z0-9]+-\\d+"));

    awaitTrue(() -> eventarc.deliveries(id).size() == 1, "the delivery is recorded");
    assertEquals(Delivery.Outcome.ACKED, eventarc.deliveries(id).get(0).outcome());
  }

  @Test
  void retriesAFailingDeliveryWithBackoffUntilItSucceeds() throws Exception {
    String topic = uniqueName("topic");
    answer = (id, call) -> call < 3 ? 503 : 200;
    EventarcStandIn eventarc = start(Trigger.of(uniqueName("trigger"), topic, targetUrl()));

    String id = publish(topic, "retry me".getBytes(StandardCharsets.UTF_8), Map.of());

    awaitTrue(
        () -> eventarc.deliveries(id).stream().anyMatch(d -> d.outcome() == Delivery.Outcome.ACKED),
        "the third attempt is acknowledged");
    List<Delivery> attempts = eventarc.deliveries(id);
    assertEquals(List.of(1, 2, 3), attempts.stream().map(Delivery::attempt).toList());
    assertEquals(List.of(503, 503, 200), attempts.stream().map(Delivery::status).toList());
    assertEquals(
        List.of(Delivery.Outcome.RETRYING, Delivery.Outcome.RETRYING, Delivery.Outcome.ACKED),
        attempts.stream().map(Delivery::outcome).toList());
    // Every attempt is the same event: a function deduplicates on ce-id.
    List<String> ids = new ArrayList<>();
    received.forEach(r -> ids.add(r.headers().get("ce-id")));
    assertEquals(List.of(id, id, id), ids);
  }

  @Test
  void movesAMessageToTheDeadLetterTopicAfterMaxDeliveryAttempts() throws Exception {
    String topic = uniqueName("topic");
    String deadTopic = uniqueName("dead");
    answer = (id, call) -> 500;
    Trigger trigger = new Trigger(uniqueName("trigger"), topic, targetUrl(), deadTopic, 5);
    EventarcStandIn eventarc = start(trigger);
    String keep = subscribe(deadTopic);

    String id = publish(topic, "poison".getBytes(StandardCharsets.UTF_8), Map.of("a", "b"));

    ReceivedMessage dead = pullOne(keep);
    assertEquals("poison", dead.getMessage().getData().toStringUtf8());
    Map<String, String> attributes = dead.getMessage().getAttributesMap();
    assertEquals("b", attributes.get("a"));
    assertEquals("5", attributes.get("CloudPubSubDeadLetterSourceDeliveryCount"));
    assertEquals(trigger.subscription(), attributes.get("CloudPubSubDeadLetterSourceSubscription"));
    assertEquals(PROJECT, attributes.get("CloudPubSubDeadLetterSourceSubscriptionProject"));
    assertTrue(attributes.containsKey("CloudPubSubDeadLetterSourceTopicPublishTime"));

    // The stand-in records an attempt once it has acted on it; the dead letter may arrive first.
    awaitTrue(() -> eventarc.deliveries(id).size() == 5, "five attempts are recorded");
    List<Delivery> attempts = eventarc.deliveries(id);
    assertEquals(List.of(1, 2, 3, 4, 5), attempts.stream().map(Delivery::attempt).toList());
    assertEquals(Delivery.Outcome.DEAD_LETTERED, attempts.get(4).outcome());
    assertEquals(5, calls.get(id).get());
  }

  @Test
  void countsAttemptsItselfWhenTheSubscriptionHasNoDeadLetterPolicy() throws Exception {
    String topic = uniqueName("topic");
    answer = (id, call) -> call == 1 ? 500 : 204;
    EventarcStandIn eventarc = start(Trigger.of(uniqueName("trigger"), topic, targetUrl()));

    String id = publish(topic, "x".getBytes(StandardCharsets.UTF_8), Map.of());

    awaitTrue(() -> eventarc.deliveries(id).size() == 2, "two attempts");
    assertEquals(List.of(1, 2), eventarc.deliveries(id).stream().map(Delivery::attempt).toList());
  }

  @Test
  void retriesWhenTheTargetIsDown() throws Exception {
    String topic = uniqueName("topic");
    URI nowhere = URI.create("http://127.0.0.1:" + freePortNobodyListensOn() + "/");
    EventarcStandIn eventarc = start(Trigger.of(uniqueName("trigger"), topic, nowhere));

    String id = publish(topic, "x".getBytes(StandardCharsets.UTF_8), Map.of());

    awaitTrue(() -> eventarc.deliveries(id).size() >= 2, "a second attempt");
    Delivery first = eventarc.deliveries(id).get(0);
    assertEquals(0, first.status());
    assertEquals(Delivery.Outcome.RETRYING, first.outcome());
  }

  @Test
  void backoffDoublesFromTheMinimumUpToTheMaximum() {
    assertEquals(Duration.ofSeconds(10), Backoff.EVENTARC.after(1));
    assertEquals(Duration.ofSeconds(20), Backoff.EVENTARC.after(2));
    assertEquals(Duration.ofSeconds(320), Backoff.EVENTARC.after(6));
    assertEquals(Duration.ofSeconds(600), Backoff.EVENTARC.after(7));
    assertEquals(Duration.ofSeconds(600), Backoff.EVENTARC.after(1000));
  }

  // --- helpers

  private EventarcStandIn start(Trigger trigger) {
    EventarcStandIn eventarc =
        EventarcStandIn.start(PROJECT, SharedEmulators.pubsub().host(), List.of(trigger), FAST);
    closeAfter.add(eventarc);
    return eventarc;
  }

  private URI targetUrl() throws IOException {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/", this::handle);
    target.start();
    return URI.create("http://127.0.0.1:" + target.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    JsonObject body =
        JsonParser.parseString(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
            .getAsJsonObject();
    received.add(new Received(headers, body));
    String id = headers.get("ce-id");
    int call = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    exchange.sendResponseHeaders(answer.status(id, call), -1);
    exchange.close();
  }

  private String publish(String topic, byte[] data, Map<String, String> attributes)
      throws Exception {
    Publisher publisher =
        Publisher.newBuilder(TopicName.of(PROJECT, topic))
            .setChannelProvider(transport)
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    try {
      return publisher
          .publish(
              PubsubMessage.newBuilder()
                  .setData(ByteString.copyFrom(data))
                  .putAllAttributes(attributes)
                  .build())
          .get(30, TimeUnit.SECONDS);
    } finally {
      publisher.shutdown();
      publisher.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private String subscribe(String topic) {
    String name = uniqueName("keep");
    subscriptions.createSubscription(
        Subscription.newBuilder()
            .setName(SubscriptionName.format(PROJECT, name))
            .setTopic(TopicName.format(PROJECT, topic))
            .build());
    return name;
  }

  private ReceivedMessage pullOne(String subscription) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      List<ReceivedMessage> messages =
          subscriptions
              .pull(
                  PullRequest.newBuilder()
                      .setSubscription(SubscriptionName.format(PROJECT, subscription))
                      .setMaxMessages(1)
                      .build())
              .getReceivedMessagesList();
      if (!messages.isEmpty()) {
        return messages.get(0);
      }
    }
    throw new AssertionError("nothing arrived on " + subscription);
  }

  private static String uniqueName(String prefix) {
    // The run id keeps names apart on an emulator that outlives this JVM (PUBSUB_EMULATOR_HOST).
    return prefix + "-" + RUN + "-" + names.incrementAndGet();
  }

  private static int freePortNobodyListensOn() {
    return LocalProcess.freePort();
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
