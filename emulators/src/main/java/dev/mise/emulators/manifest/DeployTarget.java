package dev.mise.emulators.manifest;

import dev.mise.emulators.manifest.ShellCommand.Part;
import dev.mise.emulators.manifest.ShellCommand.Word;

/**
 * Where a plan deploys to, and the gcloud vocabulary every group of plan steps shares. {@code
 * publicBaseUrl} is the edge's origin, given to every function as {@code PUBLIC_BASE_URL} (asset
 * URLs are built on it), or null when the deploy was not told it.
 */
record DeployTarget(Manifest manifest, String project, String region, String publicBaseUrl) {

  Placeholders cloud() {
    return Placeholders.cloud(project, region);
  }

  /** A manifest string (service account, bucket name) as it is in this project. */
  String resolve(String template) {
    return manifest.resolve(template, cloud());
  }

  /** The identity Cloud Tasks, Eventarc and the edge call non-public functions with, or null. */
  String invokerServiceAccount() {
    String invoker = manifest.defaults().invokerServiceAccount();
    return invoker == null ? null : resolve(invoker);
  }

  static ShellCommand gcloud(String... words) {
    return ShellCommand.of("gcloud").with(words);
  }

  String projectFlag() {
    return "--project=" + project;
  }

  static String member(String account) {
    return "--member=serviceAccount:" + account;
  }

  /** {@code service-<project number>@gcp-sa-pubsub...}: Pub/Sub's own identity in the project. */
  Word pubSubAgent() {
    ShellCommand projectNumber =
        gcloud("projects", "describe", project, "--format=value(projectNumber)");
    return Word.of(
        new Part.Text("--member=serviceAccount:service-"),
        new Part.Output(projectNumber, "123456789012"),
        new Part.Text("@gcp-sa-pubsub.iam.gserviceaccount.com"));
  }
}
