package dev.mise.emulators.manifest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a freshly parsed manifest against what Google Cloud and the local stack accept, and
 * collects every problem with its JSON path. It runs before defaults are applied, so each path
 * points at the text a person wrote. {@link FunctionRules} checks the functions, {@link
 * ValueChecks} the values several sections share.
 */
final class ManifestValidator {

  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");
  private static final Pattern RUNTIME = Pattern.compile("java[0-9]+");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z][A-Za-z0-9._~%+-]{2,254}");
  private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
  private static final Pattern DATABASE =
      Pattern.compile("\\(default\\)|[a-z][a-z0-9-]{2,61}[a-z0-9]");
  private static final Pattern LOCATION = Pattern.compile("[a-z0-9-]+");
  // Cloud Storage also takes multi-regions in capitals: EU, US, ASIA.
  private static final Pattern BUCKET_LOCATION = Pattern.compile("[A-Za-z0-9-]+");
  private static final Pattern COLLECTION_GROUP = Pattern.compile("[^/.\\s]+");

  private final Manifest m;
  private final ValueChecks checks;
  private final Set<String> topicNames = new HashSet<>();
  private final Set<String> queueNames = new HashSet<>();

  private ManifestValidator(Manifest manifest) {
    this.m = manifest;
    this.checks = new ValueChecks(manifest);
  }

  static List<String> problems(Manifest manifest) {
    ManifestValidator v = new ManifestValidator(manifest);
    v.check();
    return v.checks.problems();
  }

  private void check() {
    if (m.defaults() == null) {
      checks.problem("$.defaults", "is required");
    } else {
      checkDefaults(m.defaults());
    }
    checkTopics();
    checkSubscriptions();
    checkQueues();
    if (m.firestore() != null) {
      checkFirestore(m.firestore());
    }
    checkBuckets();
    new FunctionRules(m, checks, topicNames, queueNames).check();
  }

  private void checkDefaults(Defaults d) {
    String at = "$.defaults";
    if (checks.required(at + ".region", d.region())) {
      checks.matches(at + ".region", d.region(), REGION, "a region such as europe-west1");
    }
    if (checks.required(at + ".runtime", d.runtime())) {
      checks.matches(at + ".runtime", d.runtime(), RUNTIME, "a Java runtime such as java21");
    }
    if (checks.required(at + ".memory", d.memory())) {
      checks.memory(at + ".memory", d.memory());
    }
    if (checks.required(at + ".timeout", d.timeout())) {
      checks.timeout(at + ".timeout", d.timeout(), ValueChecks.MAX_HTTP_TIMEOUT_SECONDS);
    }
    if (checks.required(at + ".minInstances", d.minInstances())) {
      checks.atLeast(at + ".minInstances", d.minInstances(), 0);
    }
    if (checks.required(at + ".maxInstances", d.maxInstances())) {
      checks.atLeast(at + ".maxInstances", d.maxInstances(), 1);
    }
    if (d.minInstances() != null
        && d.maxInstances() != null
        && d.minInstances() > d.maxInstances()) {
      checks.problem(at + ".minInstances", "is larger than maxInstances");
    }
    checks.serviceAccount(at + ".serviceAccount", d.serviceAccount());
    checks.serviceAccount(at + ".invokerServiceAccount", d.invokerServiceAccount());
    if (d.invokerServiceAccount() == null
        && m.functions().stream().anyMatch(fn -> fn.access() != Access.PUBLIC)) {
      checks.problem(
          at + ".invokerServiceAccount",
          "is required: non-public functions are called with this identity");
    }
    checks.env(at + ".env", d.env());
  }

  private void checkTopics() {
    for (int i = 0; i < m.topics().size(); i++) {
      Topic t = m.topics().get(i);
      String at = "$.topics[" + i + "]";
      if (checks.required(at + ".name", t.name())
          && checks.matches(at + ".name", t.name(), TOPIC, "a Pub/Sub topic name")) {
        checks.unique(at + ".name", t.name(), topicNames, "topic");
      }
      if (t.deadLetterTopic() != null) {
        checks.matches(at + ".deadLetterTopic", t.deadLetterTopic(), TOPIC, "a Pub/Sub topic name");
        if (t.deadLetterTopic().equals(t.name())) {
          checks.problem(at + ".deadLetterTopic", "cannot be the topic itself");
        }
      }
      if (t.maxDeliveryAttempts() != null) {
        if (t.deadLetterTopic() == null) {
          checks.problem(at + ".maxDeliveryAttempts", "only applies with a deadLetterTopic");
        }
        checks.between(at + ".maxDeliveryAttempts", t.maxDeliveryAttempts(), 5, 100);
      }
    }
    // Dead-letter topics exist too; added after the loop so declaring one explicitly is no
    // duplicate.
    m.topics().stream()
        .filter(t -> t.deadLetterTopic() != null)
        .forEach(t -> topicNames.add(t.deadLetterTopic()));
  }

  private void checkSubscriptions() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < m.subscriptions().size(); i++) {
      Subscription s = m.subscriptions().get(i);
      String at = "$.subscriptions[" + i + "]";
      if (checks.required(at + ".name", s.name())
          && checks.matches(at + ".name", s.name(), TOPIC, "a Pub/Sub subscription name")) {
        checks.unique(at + ".name", s.name(), names, "subscription");
      }
      if (checks.required(at + ".topic", s.topic()) && !topicNames.contains(s.topic())) {
        checks.problem(
            at + ".topic", "'" + s.topic() + "' is not a declared topic or dead-letter topic");
      }
      if (s.ackDeadlineSeconds() != null) {
        checks.between(at + ".ackDeadlineSeconds", s.ackDeadlineSeconds(), 10, 600);
      }
    }
  }

  private void checkQueues() {
    for (int i = 0; i < m.queues().size(); i++) {
      Queue q = m.queues().get(i);
      String at = "$.queues[" + i + "]";
      if (checks.required(at + ".name", q.name())
          && checks.matches(at + ".name", q.name(), QUEUE, "letters, digits and hyphens")) {
        checks.unique(at + ".name", q.name(), queueNames, "queue");
      }
      if (q.maxDispatchesPerSecond() != null
          && !(q.maxDispatchesPerSecond() > 0 && q.maxDispatchesPerSecond() <= 500)) {
        checks.problem(at + ".maxDispatchesPerSecond", "must be above 0 and at most 500");
      }
      if (q.maxConcurrentDispatches() != null) {
        checks.between(at + ".maxConcurrentDispatches", q.maxConcurrentDispatches(), 1, 5000);
      }
      if (q.maxAttempts() != null && q.maxAttempts() != -1 && q.maxAttempts() < 1) {
        checks.problem(at + ".maxAttempts", "must be -1 (unlimited) or at least 1");
      }
      boolean minOk = q.minBackoff() == null || checks.seconds(at + ".minBackoff", q.minBackoff());
      boolean maxOk = q.maxBackoff() == null || checks.seconds(at + ".maxBackoff", q.maxBackoff());
      if (q.minBackoff() != null
          && q.maxBackoff() != null
          && minOk
          && maxOk
          && Queue.seconds(q.minBackoff()).compareTo(Queue.seconds(q.maxBackoff())) > 0) {
        checks.problem(at + ".minBackoff", "is longer than maxBackoff");
      }
      if (q.maxDoublings() != null) {
        checks.atLeast(at + ".maxDoublings", q.maxDoublings(), 0);
      }
    }
  }

  private void checkFirestore(FirestoreSetup fs) {
    String at = "$.firestore";
    if (fs.database() != null) {
      checks.matches(at + ".database", fs.database(), DATABASE, "(default) or a database id");
    }
    if (fs.location() != null) {
      checks.matches(at + ".location", fs.location(), LOCATION, "a Firestore location");
    }
    Set<String> ttlGroups = new HashSet<>();
    for (int i = 0; i < fs.ttl().size(); i++) {
      FirestoreSetup.TtlPolicy ttl = fs.ttl().get(i);
      String p = at + ".ttl[" + i + "]";
      if (checks.required(p + ".collectionGroup", ttl.collectionGroup())
          && checks.matches(
              p + ".collectionGroup", ttl.collectionGroup(), COLLECTION_GROUP, "an id")
          && !ttlGroups.add(ttl.collectionGroup())) {
        checks.problem(p + ".collectionGroup", "has a TTL policy already (Firestore allows one)");
      }
      checks.required(p + ".field", ttl.field());
    }
    for (int i = 0; i < fs.indexes().size(); i++) {
      checkIndex(at + ".indexes[" + i + "]", fs.indexes().get(i));
    }
  }

  private void checkIndex(String at, FirestoreSetup.Index index) {
    if (checks.required(at + ".collectionGroup", index.collectionGroup())) {
      checks.matches(at + ".collectionGroup", index.collectionGroup(), COLLECTION_GROUP, "an id");
    }
    if (index.queryScope() != null
        && !Set.of("collection", "collection-group").contains(index.queryScope())) {
      checks.problem(at + ".queryScope", "must be collection or collection-group");
    }
    int vectors = 0;
    for (int j = 0; j < index.fields().size(); j++) {
      FirestoreSetup.IndexField f = index.fields().get(j);
      String p = at + ".fields[" + j + "]";
      checks.required(p + ".path", f.path());
      int kinds =
          (f.order() != null ? 1 : 0)
              + (f.arrayConfig() != null ? 1 : 0)
              + (f.vectorDimension() != null ? 1 : 0);
      if (kinds != 1) {
        checks.problem(p, "needs exactly one of order, arrayConfig, vectorDimension");
      }
      if (f.order() != null && !Set.of("ascending", "descending").contains(f.order())) {
        checks.problem(p + ".order", "must be ascending or descending");
      }
      if (f.arrayConfig() != null && !f.arrayConfig().equals("contains")) {
        checks.problem(p + ".arrayConfig", "must be contains");
      }
      if (f.vectorDimension() != null) {
        vectors++;
        checks.between(p + ".vectorDimension", f.vectorDimension(), 1, 2048);
      }
    }
    if (vectors > 1) {
      checks.problem(at + ".fields", "can hold one vector field at most");
    }
    if (index.fields().size() < (vectors == 1 ? 1 : 2)) {
      checks.problem(
          at + ".fields", "needs two fields or more (Firestore indexes single fields itself)");
    }
  }

  private void checkBuckets() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < m.buckets().size(); i++) {
      Bucket b = m.buckets().get(i);
      String at = "$.buckets[" + i + "]";
      if (checks.required(at + ".name", b.name())
          && checks.placeholdersWithoutUrls(at + ".name", b.name())
          && checks.matches(at + ".name", checks.sample(b.name()), BUCKET, "a bucket name")) {
        checks.unique(at + ".name", b.name(), names, "bucket");
      }
      if (b.location() != null) {
        checks.matches(at + ".location", b.location(), BUCKET_LOCATION, "a Cloud Storage location");
      }
      for (int j = 0; j < b.lifecycle().size(); j++) {
        Bucket.LifecycleRule rule = b.lifecycle().get(j);
        String p = at + ".lifecycle[" + j + "]";
        if (checks.required(p + ".deleteAfterDays", rule.deleteAfterDays())) {
          checks.atLeast(p + ".deleteAfterDays", rule.deleteAfterDays(), 1);
        }
        if (rule.prefix() != null && rule.prefix().isEmpty()) {
          checks.problem(p + ".prefix", "is empty: leave it out to match every object");
        }
      }
    }
  }
}
