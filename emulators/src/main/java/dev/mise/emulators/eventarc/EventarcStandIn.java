package dev.mise.emulators.eventarc;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Eventarc for the local stack: delivers messages published to the Pub/Sub emulator to local
 * functions as CloudEvents ({@link PubSubCloudEvent}), the way Eventarc's Pub/Sub triggers do. Per
 * trigger it creates the topic (and dead-letter topic) when missing and a pull subscription, {@code
 * eventarc-local-<trigger>}, then pulls and POSTs each message to the target:
 *
 * <ul>
 *   <li>a 2xx answer acknowledges the message;
 *   <li>anything else (or no answer) retries it after an exponential {@link Backoff} (Eventarc's 10
 *       s to 600 s by default), holding the message leased meanwhile and then nacking it, so
 *       Pub/Sub counts the attempt and redelivers it;
 *   <li>after the trigger's {@code maxDeliveryAttempts} the message is published to the dead-letter
 *       topic with Pub/Sub's {@code CloudPubSubDeadLetterSource*} attributes and acknowledged. The
 *       subscription carries the dead-letter policy, so the emulator counts the attempts, but the
 *       emulator (0.8.20) drops such messages instead of forwarding them; the stand-in forwards
 *       them itself.
 * </ul>
 *
 * <p>The subscriptions' ack deadline is 600 s, so a slow function is not delivered to twice.
 *
 * <pre>{@code
 * try (EventarcStandIn eventarc = EventarcStandIn.start("demo-mise", "127.0.0.1:8085",
 *     List.of(new Trigger("health-echo", "health-events", URI.create("http://127.0.0.1:8102/"),
 *         "health-events-dead", 5)))) {
 *   ...
 * }
 * }</pre>
 */
public final class EventarcStandIn implements AutoCloseable {

  static final int ACK_DEADLINE_SECONDS = 600;
  private static final Duration PULL_WAIT = Duration.ofSeconds(20);
  private static final int MAX_RECORDED_DELIVERIES = 10_000;

  private final ManagedChannel channel;
  private final TopicAdminClient topics;
  private final SubscriptionAdminClient subscriptions;
  private final HttpClient http;
  private final ExecutorService deliveryThreads;
  private final ScheduledExecutorService retryTimer;
  private final List<TriggerPump> pumps = new ArrayList<>();
  private final Deque<Delivery> deliveries = new ArrayDeque<>();

  private EventarcStandIn(String pubsubHost) {
    channel = ManagedChannelBuilder.forTarget(pubsubHost).usePlaintext().build();
    TransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    try {
      topics =
          TopicAdminClient.create(
              TopicAdminSettings.newBuilder()
                  .setTransportChannelProvider(transport)
                  .setCredentialsProvider(NoCredentialsProvider.create())
                  .build());
      SubscriptionAdminSettings.Builder settings =
          SubscriptionAdminSettings.newBuilder()
              .setTransportChannelProvider(transport)
              .setCredentialsProvider(NoCredentialsProvider.create());
      // One long poll per call and no client-side retries: the pump loops itself, and a pull
      // that retried on a closed channel would hold close() for the whole retry budget.
      settings
          .pullSettings()
          .setRetryableCodes(Set.of())
          .setRetrySettings(
              RetrySettings.newBuilder()
                  .setInitialRpcTimeoutDuration(PULL_WAIT)
                  .setMaxRpcTimeoutDuration(PULL_WAIT)
                  .setTotalTimeoutDuration(PULL_WAIT)
                  .setMaxAttempts(1)
                  .build());
      subscriptions = SubscriptionAdminClient.create(settings.build());
    } catch (IOException e) {
      channel.shutdownNow();
      throw new UncheckedIOException("cannot reach the Pub/Sub emulator at " + pubsubHost, e);
    }
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    deliveryThreads = Executors.newVirtualThreadPerTaskExecutor();
    retryTimer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "eventarc-retry-timer");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts delivering with Eventarc's own backoff (10 s doubling to 600 s). */
  public static EventarcStandIn start(String projectId, String pubsubHost, List<Trigger> triggers) {
    return start(projectId, pubsubHost, triggers, Backoff.EVENTARC);
  }

  /**
   * Creates the topics and subscriptions the triggers need and starts delivering.
   *
   * @param pubsubHost the emulator's {@code host:port} ({@code PUBSUB_EMULATOR_HOST})
   */
  public static EventarcStandIn start(
      String projectId, String pubsubHost, List<Trigger> triggers, Backoff backoff) {
    EventarcStandIn standIn = new EventarcStandIn(pubsubHost);
    try {
      for (Trigger trigger : triggers) {
        standIn.prepare(projectId, trigger);
      }
      for (Trigger trigger : triggers) {
        TriggerPump pump = new TriggerPump(projectId, trigger, backoff, standIn);
        standIn.pumps.add(pump);
        pump.start();
      }
      return standIn;
    } catch (RuntimeException e) {
      standIn.close();
      throw e;
    }
  }

  /** Every delivery attempt so far (the latest 10,000), oldest first. */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  /** The delivery attempts of one message, oldest first. */
  public List<Delivery> deliveries(String messageId) {
    return deliveries().stream().filter(d -> d.messageId().equals(messageId)).toList();
  }

  /** Stops pulling and delivering; messages in flight are redelivered by Pub/Sub later. */
  @Override
  public void close() {
    pumps.forEach(TriggerPump::stop);
    channel.shutdownNow();
    retryTimer.shutdownNow();
    deliveryThreads.shutdownNow();
    pumps.forEach(TriggerPump::join);
    topics.close();
    subscriptions.close();
    http.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  TopicAdminClient topics() {
    return topics;
  }

  SubscriptionAdminClient subscriptions() {
    return subscriptions;
  }

  HttpClient http() {
    return http;
  }

  ExecutorService deliveryThreads() {
    return deliveryThreads;
  }

  ScheduledExecutorService retryTimer() {
    return retryTimer;
  }

  void record(Delivery delivery) {
    synchronized (deliveries) {
      if (deliveries.size() == MAX_RECORDED_DELIVERIES) {
        deliveries.removeFirst();
      }
      deliveries.addLast(delivery);
    }
  }

  private void prepare(String projectId, Trigger trigger) {
    ensureTopic(TopicName.format(projectId, trigger.topic()));
    Subscription.Builder subscription =
        Subscription.newBuilder()
            .setName(SubscriptionName.format(projectId, trigger.subscription()))
            .setTopic(TopicName.format(projectId, trigger.topic()))
            .setAckDeadlineSeconds(ACK_DEADLINE_SECONDS);
    if (trigger.deadLetterTopic() != null) {
      String deadLetterTopic = TopicName.format(projectId, trigger.deadLetterTopic());
      ensureTopic(deadLetterTopic);
      subscription.setDeadLetterPolicy(
          DeadLetterPolicy.newBuilder()
              .setDeadLetterTopic(deadLetterTopic)
              .setMaxDeliveryAttempts(trigger.maxDeliveryAttempts()));
    }
    try {
      subscriptions.createSubscription(subscription.build());
    } catch (AlreadyExistsException kept) {
      // A second start against the same emulator keeps the subscription and its backlog.
    }
  }

  private void ensureTopic(String topic) {
    try {
      topics.createTopic(topic);
    } catch (AlreadyExistsException exists) {
      // Topics come from the manifest too; either creator may be first.
    }
  }
}
