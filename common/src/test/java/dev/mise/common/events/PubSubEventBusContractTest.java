package dev.mise.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import dev.mise.common.config.Env;
import dev.mise.emulators.google.SharedEmulators;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link PubSubEventBus} through the real publisher against gcloud's Pub/Sub emulator. */
@Tag("emulator")
class PubSubEventBusContractTest {

  private static final String PROJECT = "demo-eventbus-test";
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  private static ManagedChannel channel;
  private static TopicAdminClient topics;
  private static SubscriptionAdminClient subscriptions;
  private static PubSubEventBus bus;

  @BeforeAll
  static void connect() throws Exception {
    String host = SharedEmulators.pubsub().host();
    channel = ManagedChannelBuilder.forTarget(host).usePlaintext().build();
    TransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    topics =
        TopicAdminClient.create(
            TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    subscriptions =
        SubscriptionAdminClient.create(
            SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    bus =
        new PubSubEventBus(
            new Env(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", PROJECT,
                    "PUBSUB_EMULATOR_HOST", host,
                    "PUBSUB_PUBLISH_TIMEOUT", "5s")));
  }

  @AfterAll
  static void disconnect() throws Exception {
    bus.close();
    topics.close();
    subscriptions.close();
    channel.shutdownNow();
  }

  @Test
  void aPublishedMessageArrivesWithItsDataAttributesAndId() {
    String topic = "orders-" + RUN;
    String subscription = subscribe(topic);

    String first =
        bus.publish(topic, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), Map.of("jobId", "j1"));
    String second = bus.publish(topic, new byte[] {1, 2}, Map.of());

    assertNotEquals(first, second);
    List<ReceivedMessage> received = pull(subscription, 2);
    ReceivedMessage one =
        received.stream()
            .filter(r -> r.getMessage().getMessageId().equals(first))
            .findFirst()
            .orElseThrow();
    assertEquals("{\"n\":1}", one.getMessage().getData().toStringUtf8());
    assertEquals(Map.of("jobId", "j1"), one.getMessage().getAttributesMap());
  }

  @Test
  void aMissingTopicIsReportedAsUnavailable() {
    EventBusUnavailableException e =
        assertThrows(
            EventBusUnavailableException.class,
            () -> bus.publish("no-such-topic-" + RUN, new byte[] {1}, Map.of()));
    assertEquals(true, e.getMessage().contains("no-such-topic-" + RUN));
  }

  private static String subscribe(String topic) {
    topics.createTopic(TopicName.format(PROJECT, topic));
    String name = topic + "-sub";
    subscriptions.createSubscription(
        Subscription.newBuilder()
            .setName(SubscriptionName.format(PROJECT, name))
            .setTopic(TopicName.format(PROJECT, topic))
            .build());
    return name;
  }

  private static List<ReceivedMessage> pull(String subscription, int count) {
    List<ReceivedMessage> received = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (received.size() < count && System.nanoTime() < deadline) {
      received.addAll(
          subscriptions
              .pull(
                  PullRequest.newBuilder()
                      .setSubscription(SubscriptionName.format(PROJECT, subscription))
                      .setMaxMessages(count)
                      .build())
              .getReceivedMessagesList());
    }
    assertEquals(count, received.size());
    return received;
  }
}
