package dev.mise.emulators.stack;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import dev.mise.emulators.manifest.Manifest;
import dev.mise.emulators.manifest.Topic;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the manifest's topics (with their dead-letter topics) and plain subscriptions in the
 * Pub/Sub emulator, as {@code deploy.sh} does in the cloud. Existing ones are left as they are.
 * Eventarc's own subscriptions are made by the Eventarc stand-in.
 */
final class PubSubSetup implements AutoCloseable {
  private final String projectId;
  private final ManagedChannel channel;
  private final TopicAdminClient topics;
  private final SubscriptionAdminClient subscriptions;

  PubSubSetup(String projectId, String emulatorHost) throws IOException {
    this.projectId = projectId;
    this.channel = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().build();
    var transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    var credentials = NoCredentialsProvider.create();
    this.topics =
        TopicAdminClient.create(
            TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(credentials)
                .build());
    this.subscriptions =
        SubscriptionAdminClient.create(
            SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(credentials)
                .build());
  }

  void create(Manifest manifest) {
    for (Topic topic : manifest.allTopics()) {
      try {
        topics.createTopic(TopicName.of(projectId, topic.name()));
      } catch (AlreadyExistsException exists) {
        // Safe to run twice.
      }
    }
    for (dev.mise.emulators.manifest.Subscription sub : manifest.subscriptions()) {
      try {
        subscriptions.createSubscription(
            Subscription.newBuilder()
                .setName(ProjectSubscriptionName.of(projectId, sub.name()).toString())
                .setTopic(TopicName.of(projectId, sub.topic()).toString())
                .setAckDeadlineSeconds(
                    java.util.Objects.requireNonNullElse(
                        sub.ackDeadlineSeconds(),
                        dev.mise.emulators.manifest.Subscription.DEFAULT_ACK_DEADLINE_SECONDS))
                .build());
      } catch (AlreadyExistsException exists) {
        // Safe to run twice.
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    topics.close();
    subscriptions.close();
    channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
  }
}
