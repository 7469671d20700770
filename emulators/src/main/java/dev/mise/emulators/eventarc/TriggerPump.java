package dev.mise.emulators.eventarc;

import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pulls one trigger's subscription and delivers each message on its own virtual thread, at most
 * {@link #MAX_IN_FLIGHT} at a time (a function scaled out to a few instances).
 */
final class TriggerPump {

  static final int MAX_IN_FLIGHT = 8;
  private static final Logger LOG = Logger.getLogger(TriggerPump.class.getName());

  private final String projectId;
  private final Trigger trigger;
  private final Backoff backoff;
  private final EventarcStandIn standIn;
  private final String subscription;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  // Pub/Sub counts attempts only on subscriptions with a dead-letter policy; count the others here.
  private final Map<String, Integer> localAttempts = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  TriggerPump(String projectId, Trigger trigger, Backoff backoff, EventarcStandIn standIn) {
    this.projectId = projectId;
    this.trigger = trigger;
    this.backoff = backoff;
    this.standIn = standIn;
    this.subscription = SubscriptionName.format(projectId, trigger.subscription());
    this.thread = new Thread(this::pullLoop, "eventarc-" + trigger.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  void join() {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pullLoop() {
    while (running) {
      int permits = 0;
      try {
        inFlight.acquire();
        permits = 1 + inFlight.drainPermits();
        PullResponse response =
            standIn
                .subscriptions()
                .pull(
                    PullRequest.newBuilder()
                        .setSubscription(subscription)
                        .setMaxMessages(permits)
                        .build());
        for (ReceivedMessage message : response.getReceivedMessagesList()) {
          permits--;
          standIn.deliveryThreads().execute(() -> deliverAndRelease(message));
        }
      } catch (InterruptedException | RejectedExecutionException e) {
        return;
      } catch (RuntimeException e) {
        if (running) {
          // Typically the emulator went away for a moment; pull again shortly.
          LOG.log(Level.FINE, "pull from " + subscription + " failed", e);
          pause(Duration.ofMillis(200));
        }
      } finally {
        inFlight.release(permits);
      }
    }
  }

  private void deliverAndRelease(ReceivedMessage received) {
    try {
      deliver(received);
    } catch (RuntimeException e) {
      if (running) {
        LOG.log(Level.WARNING, "delivery on " + trigger.name() + " failed", e);
      }
    } finally {
      inFlight.release();
    }
  }

  private void deliver(ReceivedMessage received) {
    PubsubMessage message = received.getMessage();
    String messageId = message.getMessageId();
    int attempt =
        received.getDeliveryAttempt() > 0
            ? received.getDeliveryAttempt()
            : localAttempts.merge(messageId, 1, Integer::sum);
    int status = post(message);
    Delivery.Outcome outcome;
    if (status >= 200 && status < 300) {
      acknowledge(received);
      outcome = Delivery.Outcome.ACKED;
    } else if (trigger.deadLetterTopic() != null && attempt >= trigger.maxDeliveryAttempts()) {
      deadLetter(message, attempt);
      acknowledge(received);
      outcome = Delivery.Outcome.DEAD_LETTERED;
    } else {
      retryLater(received, backoff.after(attempt));
      outcome = Delivery.Outcome.RETRYING;
    }
    if (outcome != Delivery.Outcome.RETRYING) {
      localAttempts.remove(messageId);
    }
    standIn.record(
        new Delivery(trigger.name(), messageId, attempt, status, outcome, Instant.now()));
    // Acks are the normal case; retries and dead letters are what someone debugging looks for.
    Level level =
        switch (outcome) {
          case ACKED -> Level.FINE;
          case RETRYING -> Level.INFO;
          case DEAD_LETTERED -> Level.WARNING;
        };
    LOG.log(
        level,
        () ->
            trigger.name()
                + " message "
                + messageId
                + " attempt "
                + attempt
                + ": HTTP "
                + status
                + " -> "
                + outcome);
  }

  /** The target's HTTP status, or 0 when it could not be reached or did not answer in time. */
  private int post(PubsubMessage message) {
    PubSubCloudEvent event =
        PubSubCloudEvent.of(projectId, trigger.topic(), trigger.subscription(), message);
    try {
      return standIn
          .http()
          .send(
              event.toRequest(
                  trigger.target(), Duration.ofSeconds(EventarcStandIn.ACK_DEADLINE_SECONDS)),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private void acknowledge(ReceivedMessage received) {
    standIn.subscriptions().acknowledge(subscription, List.of(received.getAckId()));
  }

  /**
   * Keeps the message leased for the backoff, then nacks it: Pub/Sub counts a nack as an attempt
   * and redelivers at once, which gives millisecond backoffs for tests where an ack deadline has
   * whole seconds. Should the stand-in stop meanwhile, the lease expires and Pub/Sub redelivers.
   */
  private void retryLater(ReceivedMessage received, Duration delay) {
    int leaseSeconds = (int) Math.min(EventarcStandIn.ACK_DEADLINE_SECONDS, delay.toSeconds() + 30);
    standIn
        .subscriptions()
        .modifyAckDeadline(subscription, List.of(received.getAckId()), leaseSeconds);
    standIn
        .retryTimer()
        .schedule(
            () -> {
              try {
                standIn
                    .subscriptions()
                    .modifyAckDeadline(subscription, List.of(received.getAckId()), 0);
              } catch (RuntimeException e) {
                LOG.log(Level.FINE, "nack on " + subscription + " failed", e);
              }
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  /** Publishes the message as Pub/Sub's dead-lettering does: same data, source attributes added. */
  private void deadLetter(PubsubMessage message, int attempts) {
    PubsubMessage copy =
        PubsubMessage.newBuilder()
            .setData(message.getData())
            .putAllAttributes(message.getAttributesMap())
            .putAttributes("CloudPubSubDeadLetterSourceDeliveryCount", Integer.toString(attempts))
            .putAttributes("CloudPubSubDeadLetterSourceSubscription", trigger.subscription())
            .putAttributes("CloudPubSubDeadLetterSourceSubscriptionProject", projectId)
            .putAttributes(
                "CloudPubSubDeadLetterSourceTopicPublishTime",
                Timestamps.toString(message.getPublishTime()))
            .setOrderingKey(message.getOrderingKey())
            .build();
    standIn.topics().publish(TopicName.format(projectId, trigger.deadLetterTopic()), List.of(copy));
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
