package dev.mise.emulators.manifest;

import static dev.mise.emulators.manifest.DeployTarget.gcloud;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Plan steps for how work moves: Pub/Sub topics and subscriptions, Cloud Tasks queues. */
final class MessagingSteps {

  private MessagingSteps() {}

  static void topics(DeployTarget t, Collection<Topic> topics, List<PlanStep> steps) {
    for (Topic topic : topics) {
      steps.add(
          PlanStep.createUnlessExists(
              "Pub/Sub topic " + topic.name(),
              gcloud("pubsub", "topics", "describe", topic.name()).with(t.projectFlag()),
              gcloud("pubsub", "topics", "create", topic.name()).with(t.projectFlag())));
    }
    Set<String> deadLetterTopics = new LinkedHashSet<>();
    topics.stream()
        .filter(Topic::hasDeadLetterTopic)
        .forEach(topic -> deadLetterTopics.add(topic.deadLetterTopic()));
    for (String deadLetter : deadLetterTopics) {
      // Pub/Sub forwards dead letters as its own service agent, which must be allowed to publish.
      steps.add(
          PlanStep.run(
              "Let Pub/Sub forward dead letters to " + deadLetter,
              gcloud("pubsub", "topics", "add-iam-policy-binding", deadLetter)
                  .with(t.pubSubAgent())
                  .with("--role=roles/pubsub.publisher", "--format=none")
                  .with(t.projectFlag())));
    }
  }

  static void subscriptions(DeployTarget t, List<PlanStep> steps) {
    for (Subscription sub : t.manifest().subscriptions()) {
      Topic topic = t.manifest().topic(sub.topic()).orElseThrow();
      List<String> settings = new ArrayList<>();
      settings.add("--ack-deadline=" + sub.ackDeadlineSeconds());
      settings.addAll(deadLetterFlags(topic));
      ShellCommand create =
          gcloud("pubsub", "subscriptions", "create", sub.name(), "--topic=" + sub.topic())
              .with(settings.toArray(String[]::new))
              .with(t.projectFlag());
      // An update must also remove a dead-letter policy the manifest no longer has.
      if (!topic.hasDeadLetterTopic()) {
        settings.add("--clear-dead-letter-policy");
      }
      ShellCommand update =
          gcloud("pubsub", "subscriptions", "update", sub.name())
              .with(settings.toArray(String[]::new))
              .with(t.projectFlag());
      steps.add(
          PlanStep.createOrUpdate(
              "Pub/Sub subscription " + sub.name(),
              gcloud("pubsub", "subscriptions", "describe", sub.name()).with(t.projectFlag()),
              create,
              update));
      if (topic.hasDeadLetterTopic()) {
        steps.add(deadLetterSubscriber(t, sub.name(), ShellCommand.Word.text(sub.name())));
      }
    }
  }

  /** Pub/Sub's service agent must be allowed to pull from a subscription to dead-letter from it. */
  static PlanStep deadLetterSubscriber(
      DeployTarget t, String what, ShellCommand.Word subscription) {
    return PlanStep.run(
        "Let Pub/Sub move dead letters out of " + what,
        gcloud("pubsub", "subscriptions", "add-iam-policy-binding")
            .with(subscription)
            .with(t.pubSubAgent())
            .with("--role=roles/pubsub.subscriber", "--format=none")
            .with(t.projectFlag()));
  }

  static List<String> deadLetterFlags(Topic topic) {
    return topic.hasDeadLetterTopic()
        ? List.of(
            "--dead-letter-topic=" + topic.deadLetterTopic(),
            "--max-delivery-attempts=" + topic.maxDeliveryAttempts())
        : List.of();
  }

  static void queues(DeployTarget t, Collection<Queue> queues, List<PlanStep> steps) {
    for (Queue q : queues) {
      String[] settings = {
        "--location=" + t.region(),
        "--max-dispatches-per-second=" + number(q.maxDispatchesPerSecond()),
        "--max-concurrent-dispatches=" + q.maxConcurrentDispatches(),
        "--max-attempts=" + q.maxAttempts(),
        "--min-backoff=" + q.minBackoff(),
        "--max-backoff=" + q.maxBackoff(),
        "--max-doublings=" + q.maxDoublings()
      };
      steps.add(
          PlanStep.createOrUpdate(
              "Cloud Tasks queue " + q.name(),
              gcloud("tasks", "queues", "describe", q.name(), "--location=" + t.region())
                  .with(t.projectFlag()),
              gcloud("tasks", "queues", "create", q.name()).with(settings).with(t.projectFlag()),
              gcloud("tasks", "queues", "update", q.name()).with(settings).with(t.projectFlag())));
    }
  }

  /** 5.0 as {@code 5}, 0.5 as {@code 0.5}: what a person would type. */
  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
