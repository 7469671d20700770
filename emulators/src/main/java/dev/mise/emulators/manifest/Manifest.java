package dev.mise.emulators.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The function manifest ({@code functions/functions.json}): every deployed function once, and the
 * topics, subscriptions, queues, Firestore settings and buckets they use. deploy.sh and the local
 * stack both read it through this class. {@link #load} parses strictly, validates everything and
 * applies {@code defaults}, so the functions handed out carry their effective memory, timeout,
 * instances and merged environment. The format is described in {@code docs/manifest.md}.
 *
 * <pre>{@code
 * Manifest manifest = Manifest.load(Path.of("functions/functions.json"));
 * for (FunctionSpec fn : manifest.functions()) {
 *   Map<String, String> env = manifest.resolveEnv(fn, Placeholders.local("demo-mise", "europe-west1"));
 * }
 * }</pre>
 */
public record Manifest(
    Defaults defaults,
    List<Topic> topics,
    List<Subscription> subscriptions,
    List<Queue> queues,
    FirestoreSetup firestore,
    List<Bucket> buckets,
    List<FunctionSpec> functions) {

  /** Reads, validates and applies defaults; every problem found is in the exception. */
  public static Manifest load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest " + file, e);
    }
  }

  public static Manifest parse(String json) {
    Manifest raw = StrictJson.parse(json, Manifest.class);
    List<String> problems = ManifestValidator.problems(raw);
    if (!problems.isEmpty()) {
      throw new ManifestException(problems);
    }
    return raw.withDefaults();
  }

  private Manifest withDefaults() {
    FirestoreSetup fs = firestore != null ? firestore : new FirestoreSetup(null, null, null, null);
    return new Manifest(
        defaults,
        topics.stream()
            .map(
                t ->
                    t.hasDeadLetterTopic() && t.maxDeliveryAttempts() == null
                        ? new Topic(
                            t.name(), t.deadLetterTopic(), Topic.DEFAULT_MAX_DELIVERY_ATTEMPTS)
                        : t)
            .toList(),
        subscriptions.stream()
            .map(
                s ->
                    new Subscription(
                        s.name(),
                        s.topic(),
                        s.ackDeadlineSeconds() != null
                            ? s.ackDeadlineSeconds()
                            : Subscription.DEFAULT_ACK_DEADLINE_SECONDS))
            .toList(),
        queues.stream().map(Queue::withCloudTasksDefaults).toList(),
        new FirestoreSetup(
            fs.database() != null ? fs.database() : FirestoreSetup.DEFAULT_DATABASE,
            fs.location(),
            fs.ttl() != null ? fs.ttl() : List.of(),
            fs.indexes() != null ? fs.indexes() : List.of()),
        buckets,
        functions.stream().map(fn -> fn.withDefaults(defaults)).toList());
  }

  public Optional<FunctionSpec> function(String name) {
    return functions.stream().filter(fn -> fn.name().equals(name)).findFirst();
  }

  public FunctionSpec requireFunction(String name) {
    return function(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no function named '"
                        + name
                        + "' in the manifest; there are: "
                        + functions.stream()
                            .map(FunctionSpec::name)
                            .collect(Collectors.joining(", "))));
  }

  /**
   * Every topic to create: the declared ones, then the dead-letter topics not declared themselves
   * (which have no dead-letter topic of their own).
   */
  public List<Topic> allTopics() {
    Map<String, Topic> all = new LinkedHashMap<>();
    topics.forEach(t -> all.put(t.name(), t));
    for (Topic t : topics) {
      if (t.hasDeadLetterTopic()) {
        all.putIfAbsent(t.deadLetterTopic(), new Topic(t.deadLetterTopic(), null, null));
      }
    }
    return List.copyOf(all.values());
  }

  public Optional<Topic> topic(String name) {
    return allTopics().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public Optional<Queue> queue(String name) {
    return queues.stream().filter(q -> q.name().equals(name)).findFirst();
  }

  /** The functions a message on {@code topic} is delivered to (one Eventarc trigger each). */
  public List<FunctionSpec> subscribersOf(String topic) {
    return functions.stream()
        .filter(fn -> fn.trigger() instanceof Trigger.PubSub p && p.topic().equals(topic))
        .toList();
  }

  /** The service accounts the functions run as, placeholders resolved, without duplicates. */
  public Set<String> runtimeServiceAccounts(Placeholders placeholders) {
    Set<String> accounts = new LinkedHashSet<>();
    for (FunctionSpec fn : functions) {
      if (fn.serviceAccount() != null) {
        accounts.add(resolve(fn.serviceAccount(), placeholders));
      }
    }
    return accounts;
  }

  /** {@code fn}'s environment (defaults merged in) with every placeholder replaced. */
  public Map<String, String> resolveEnv(FunctionSpec fn, Placeholders placeholders) {
    Map<String, String> env = new LinkedHashMap<>();
    fn.env().forEach((key, value) -> env.put(key, resolve(value, placeholders)));
    return env;
  }

  /** Any manifest string (a service account, a bucket name) with its placeholders replaced. */
  public String resolve(String template, Placeholders placeholders) {
    return placeholders.resolve(template, this);
  }
}
