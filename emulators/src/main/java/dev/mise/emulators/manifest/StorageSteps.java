package dev.mise.emulators.manifest;

import static dev.mise.emulators.manifest.DeployTarget.gcloud;
import static dev.mise.emulators.manifest.DeployTarget.member;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plan steps for where data lives: the Firestore database, its TTL policies and indexes, buckets.
 */
final class StorageSteps {

  private StorageSteps() {}

  static void firestore(DeployTarget t, List<PlanStep> steps) {
    FirestoreSetup fs = t.manifest().firestore();
    String database = "--database=" + fs.database();
    steps.add(
        PlanStep.createUnlessExists(
            "Firestore database " + fs.database(),
            gcloud("firestore", "databases", "describe", database).with(t.projectFlag()),
            gcloud(
                    "firestore",
                    "databases",
                    "create",
                    database,
                    "--location=" + (fs.location() != null ? fs.location() : t.region()),
                    "--type=firestore-native")
                .with(t.projectFlag())));
    for (FirestoreSetup.TtlPolicy ttl : fs.ttl()) {
      String group = "--collection-group=" + ttl.collectionGroup();
      steps.add(
          PlanStep.unlessPrinted(
              "Firestore TTL on " + ttl.collectionGroup() + "." + ttl.field(),
              gcloud("firestore", "indexes", "fields", "describe", ttl.field(), group, database)
                  .with("--format=value(ttlConfig.state)")
                  .with(t.projectFlag()),
              gcloud("firestore", "fields", "ttls", "update", ttl.field(), group, database)
                  .with("--enable-ttl", "--async")
                  .with(t.projectFlag())));
    }
    for (FirestoreSetup.Index index : fs.indexes()) {
      ShellCommand create =
          gcloud(
              "firestore",
              "indexes",
              "composite",
              "create",
              "--collection-group=" + index.collectionGroup(),
              "--query-scope=" + (index.queryScope() != null ? index.queryScope() : "collection"),
              database);
      for (FirestoreSetup.IndexField field : index.fields()) {
        create = create.with("--field-config=" + fieldConfig(field));
      }
      steps.add(
          PlanStep.createToleratingExisting(
              "Firestore index on "
                  + index.collectionGroup()
                  + " ("
                  + index.fields().stream()
                      .map(FirestoreSetup.IndexField::path)
                      .collect(Collectors.joining(", "))
                  + ")",
              create.with("--async").with(t.projectFlag())));
    }
  }

  private static String fieldConfig(FirestoreSetup.IndexField field) {
    String config = "field-path=" + field.path() + ",";
    if (field.order() != null) {
      return config + "order=" + field.order();
    }
    if (field.arrayConfig() != null) {
      return config + "array-config=" + field.arrayConfig();
    }
    return config + "vector-config={dimension=" + field.vectorDimension() + ",flat}";
  }

  static void buckets(DeployTarget t, List<PlanStep> steps) {
    for (Bucket bucket : t.manifest().buckets()) {
      String url = "gs://" + t.resolve(bucket.name());
      steps.add(
          PlanStep.createUnlessExists(
              "Storage bucket " + url,
              gcloud("storage", "buckets", "describe", url).with(t.projectFlag()),
              gcloud(
                      "storage",
                      "buckets",
                      "create",
                      url,
                      "--location=" + (bucket.location() != null ? bucket.location() : t.region()),
                      "--uniform-bucket-level-access",
                      "--public-access-prevention")
                  .with(t.projectFlag())));
      if (bucket.lifecycle().isEmpty()) {
        steps.add(
            PlanStep.run(
                "No lifecycle rules on " + url,
                gcloud("storage", "buckets", "update", url, "--clear-lifecycle")
                    .with(t.projectFlag())));
      } else {
        steps.add(
            PlanStep.withInput(
                "Lifecycle rules on " + url,
                lifecycleJson(bucket),
                gcloud("storage", "buckets", "update", url, "--lifecycle-file=/dev/stdin")
                    .with(t.projectFlag())));
      }
      for (String account : t.manifest().runtimeServiceAccounts(t.cloud())) {
        steps.add(
            PlanStep.run(
                "Let " + account + " read and write " + url,
                gcloud("storage", "buckets", "add-iam-policy-binding", url)
                    .with(member(account), "--role=roles/storage.objectUser", "--format=none")
                    .with(t.projectFlag())));
      }
    }
  }

  /** Cloud Storage's lifecycle configuration: one Delete rule per manifest rule. */
  static String lifecycleJson(Bucket bucket) {
    JsonArray rules = new JsonArray();
    for (Bucket.LifecycleRule rule : bucket.lifecycle()) {
      JsonObject condition = new JsonObject();
      condition.addProperty("age", rule.deleteAfterDays());
      if (rule.prefix() != null) {
        JsonArray prefixes = new JsonArray();
        prefixes.add(rule.prefix());
        condition.add("matchesPrefix", prefixes);
      }
      JsonObject action = new JsonObject();
      action.addProperty("type", "Delete");
      JsonObject json = new JsonObject();
      json.add("action", action);
      json.add("condition", condition);
      rules.add(json);
    }
    JsonObject lifecycle = new JsonObject();
    lifecycle.add("rule", rules);
    return lifecycle.toString();
  }
}
