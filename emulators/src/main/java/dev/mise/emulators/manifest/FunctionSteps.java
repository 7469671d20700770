package dev.mise.emulators.manifest;

import static dev.mise.emulators.manifest.DeployTarget.gcloud;

import dev.mise.emulators.manifest.ShellCommand.Part;
import dev.mise.emulators.manifest.ShellCommand.Word;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Plan steps for one function: its deploy, then what lets its callers reach it. */
final class FunctionSteps {

  private FunctionSteps() {}

  static ShellCommand deploy(DeployTarget t, FunctionSpec fn) {
    ShellCommand cmd =
        gcloud(
            "functions",
            "deploy",
            fn.name(),
            "--gen2",
            "--runtime=" + t.manifest().defaults().runtime(),
            "--region=" + t.region(),
            "--source=functions/" + fn.module() + "/target/deploy",
            "--entry-point=" + fn.entryPoint(),
            "--memory=" + fn.memory(),
            "--timeout=" + fn.timeout(),
            "--min-instances=" + fn.minInstances(),
            "--max-instances=" + fn.maxInstances());
    if (fn.serviceAccount() != null) {
      cmd = cmd.with("--service-account=" + t.resolve(fn.serviceAccount()));
    }
    switch (fn.trigger()) {
      case Trigger.Http http -> cmd = cmd.with("--trigger-http");
      case Trigger.Tasks tasks -> cmd = cmd.with("--trigger-http");
      case Trigger.PubSub pubSub -> {
        cmd = cmd.with("--trigger-topic=" + pubSub.topic());
        if (fn.retries()) {
          cmd = cmd.with("--retry");
        }
        if (t.invokerServiceAccount() != null) {
          cmd = cmd.with("--trigger-service-account=" + t.invokerServiceAccount());
        }
      }
    }
    cmd =
        cmd.with(
            fn.access() == Access.PUBLIC
                ? "--allow-unauthenticated"
                : "--no-allow-unauthenticated");
    // Set (or clear) the whole environment, so the manifest stays the only truth.
    Map<String, String> env = new java.util.LinkedHashMap<>(t.manifest().resolveEnv(fn, t.cloud()));
    if (t.publicBaseUrl() != null) {
      env.putIfAbsent("PUBLIC_BASE_URL", t.publicBaseUrl());
    }
    cmd = cmd.with(env.isEmpty() ? "--clear-env-vars" : "--set-env-vars=" + dictFlag(env));
    cmd =
        cmd.with(
            fn.secrets().isEmpty() ? "--clear-secrets" : "--set-secrets=" + dictFlag(fn.secrets()));
    return cmd.with(t.projectFlag());
  }

  /**
   * {@code K=V,K2=V2} as gcloud reads dictionaries; when a value holds a comma, gcloud's {@code
   * ^D^} prefix switches to a delimiter D that appears nowhere (see {@code gcloud topic escaping}).
   */
  static String dictFlag(Map<String, String> values) {
    String all = String.join("", values.keySet()) + String.join("", values.values());
    String delimiter = ",";
    if (all.contains(",")) {
      delimiter =
          List.of("@", "|", ";", "#", "~", "!", "%").stream()
              .filter(d -> !all.contains(d))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("env values use every delimiter gcloud has"));
    }
    String joined =
        values.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(delimiter));
    return delimiter.equals(",") ? joined : "^" + delimiter + "^" + joined;
  }

  static void afterDeploy(DeployTarget t, FunctionSpec fn, List<PlanStep> steps) {
    if (fn.trigger() instanceof Trigger.PubSub p && fn.retries()) {
      Topic topic = t.manifest().topic(p.topic()).orElseThrow();
      if (topic.hasDeadLetterTopic()) {
        // Eventarc names the subscription it creates; ask it, then give it the dead-letter policy.
        Word subscription =
            Word.of(new Part.Output(eventarcSubscription(t, fn), exampleSubscription(t, fn)));
        steps.add(
            PlanStep.run(
                "Dead letters of " + fn.name() + "'s trigger go to " + topic.deadLetterTopic(),
                gcloud("pubsub", "subscriptions", "update")
                    .with(subscription)
                    .with(MessagingSteps.deadLetterFlags(topic).toArray(String[]::new))
                    .with(t.projectFlag())));
        steps.add(MessagingSteps.deadLetterSubscriber(t, fn.name() + "'s trigger", subscription));
      }
    }
    String invoker = t.invokerServiceAccount();
    if (fn.access() != Access.PUBLIC && invoker != null) {
      steps.add(
          PlanStep.run(
              "Let " + invoker + " call " + fn.name(),
              gcloud(
                      "functions",
                      "add-invoker-policy-binding",
                      fn.name(),
                      "--region=" + t.region(),
                      DeployTarget.member(invoker),
                      "--format=none")
                  .with(t.projectFlag())));
    }
  }

  private static ShellCommand eventarcSubscription(DeployTarget t, FunctionSpec fn) {
    ShellCommand trigger =
        gcloud(
                "functions",
                "describe",
                fn.name(),
                "--region=" + t.region(),
                "--format=value(eventTrigger.trigger)")
            .with(t.projectFlag());
    String exampleTrigger =
        "projects/" + t.project() + "/locations/" + t.region() + "/triggers/" + fn.name() + "-1";
    return gcloud("eventarc", "triggers", "describe")
        .with(Word.of(new Part.Output(trigger, exampleTrigger)))
        .with("--format=value(transport.pubsub.subscription)")
        .with(t.projectFlag());
  }

  private static String exampleSubscription(DeployTarget t, FunctionSpec fn) {
    return "projects/"
        + t.project()
        + "/subscriptions/eventarc-"
        + t.region()
        + "-"
        + fn.name()
        + "-1-sub-1";
  }
}
