package dev.mise.common.events;

import com.google.api.core.ApiFuture;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import dev.mise.common.config.Env;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link EventBus} on Pub/Sub: one {@link Publisher} per topic, created on first use and kept
 * for the instance's life. The project comes from {@code GOOGLE_CLOUD_PROJECT}; with {@code
 * PUBSUB_EMULATOR_HOST} set, publishers talk to the emulator over plaintext without credentials.
 * {@link #publish} waits for the server's message id at most {@code PUBSUB_PUBLISH_TIMEOUT}
 * (default 10 s) and reports any failure as {@link EventBusUnavailableException}.
 */
public final class PubSubEventBus implements EventBus, AutoCloseable {

  private final String projectId;
  private final Optional<String> emulatorHost;
  private final Duration timeout;
  private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();
  private ManagedChannel emulatorChannel;

  /** For the runtime: configuration from the process environment. */
  public PubSubEventBus() {
    this(Env.system());
  }

  public PubSubEventBus(Env env) {
    this.projectId = env.projectId();
    this.emulatorHost = env.optional("PUBSUB_EMULATOR_HOST");
    this.timeout = env.getDuration("PUBSUB_PUBLISH_TIMEOUT", Duration.ofSeconds(10));
  }

  @Override
  public String publish(String topic, byte[] data, Map<String, String> attributes) {
    PubsubMessage message =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFrom(data))
            .putAllAttributes(attributes)
            .build();
    try {
      ApiFuture<String> id = publisher(topic).publish(message);
      return id.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unavailable(topic, e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(topic, e);
    } catch (IOException | RuntimeException e) {
      throw unavailable(topic, e);
    }
  }

  /** Flushes and shuts down every publisher, waiting at most the publish timeout for each. */
  @Override
  public void close() {
    for (Publisher publisher : publishers.values()) {
      publisher.shutdown();
    }
    try {
      for (Publisher publisher : publishers.values()) {
        publisher.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publishers.clear();
    synchronized (this) {
      if (emulatorChannel != null) {
        emulatorChannel.shutdown();
      }
    }
  }

  private Publisher publisher(String topic) throws IOException {
    Publisher existing = publishers.get(topic);
    if (existing != null) {
      return existing;
    }
    synchronized (this) {
      Publisher publisher = publishers.get(topic);
      if (publisher == null) {
        Publisher.Builder builder = Publisher.newBuilder(TopicName.of(projectId, topic));
        if (emulatorHost.isPresent()) {
          builder
              .setChannelProvider(emulatorTransport(emulatorHost.get()))
              .setCredentialsProvider(NoCredentialsProvider.create());
        }
        publisher = builder.build();
        publishers.put(topic, publisher);
      }
      return publisher;
    }
  }

  /** One plaintext channel for every topic's publisher. */
  private TransportChannelProvider emulatorTransport(String host) {
    if (emulatorChannel == null) {
      emulatorChannel = ManagedChannelBuilder.forTarget(host).usePlaintext().build();
    }
    return FixedTransportChannelProvider.create(GrpcTransportChannel.create(emulatorChannel));
  }

  private static EventBusUnavailableException unavailable(String topic, Throwable cause) {
    return new EventBusUnavailableException(
        "Pub/Sub did not accept a message for topic " + topic + ": " + cause, cause);
  }
}
