package dev.mise.emulators.manifest;

import static dev.mise.emulators.manifest.DeployTarget.gcloud;
import static dev.mise.emulators.manifest.DeployTarget.member;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Plan steps for identities: the service accounts the functions run as and are called with, and
 * what each runtime account may do (least privilege: only what mise's functions use).
 */
final class IdentitySteps {

  /** What every function's runtime identity does: job documents, events, next steps. */
  private static final List<String> RUNTIME_PROJECT_ROLES =
      List.of("roles/datastore.user", "roles/pubsub.publisher", "roles/cloudtasks.enqueuer");

  private IdentitySteps() {}

  static void add(DeployTarget t, List<FunctionSpec> selected, List<PlanStep> steps) {
    Set<String> runtime = new LinkedHashSet<>();
    selected.stream()
        .filter(fn -> fn.serviceAccount() != null)
        .forEach(fn -> runtime.add(t.resolve(fn.serviceAccount())));
    String invoker = t.invokerServiceAccount();
    // The invoker calls non-public functions, and is acted as when a function enqueues a task.
    boolean enqueuesTasks = !t.manifest().queues().isEmpty();
    Set<String> accounts = new LinkedHashSet<>(runtime);
    if (invoker != null
        && (enqueuesTasks || selected.stream().anyMatch(fn -> fn.access() != Access.PUBLIC))) {
      accounts.add(invoker);
    }
    for (String account : accounts) {
      create(t, account, account.equals(invoker), steps);
    }
    for (String account : runtime) {
      for (String role : RUNTIME_PROJECT_ROLES) {
        steps.add(
            PlanStep.run(
                "Grant " + role + " to " + account,
                gcloud("projects", "add-iam-policy-binding", t.project())
                    .with(member(account), "--role=" + role, "--condition=None", "--format=none")));
      }
      // Signs asset URLs with the IAM signBlob API: no key file exists in the function.
      steps.add(
          PlanStep.run(
              "Let " + account + " sign URLs as itself",
              gcloud("iam", "service-accounts", "add-iam-policy-binding", account)
                  .with(
                      member(account),
                      "--role=roles/iam.serviceAccountTokenCreator",
                      "--format=none")
                  .with(t.projectFlag())));
      if (invoker != null && enqueuesTasks) {
        // Creating a task with an OIDC token as the invoker requires acting as it.
        steps.add(
            PlanStep.run(
                "Let " + account + " enqueue tasks that call as " + invoker,
                gcloud("iam", "service-accounts", "add-iam-policy-binding", invoker)
                    .with(member(account), "--role=roles/iam.serviceAccountUser", "--format=none")
                    .with(t.projectFlag())));
      }
    }
    secrets(t, selected, steps);
  }

  /** Only accounts of the project deployed to can be created; others must exist already. */
  private static void create(
      DeployTarget t, String account, boolean isInvoker, List<PlanStep> steps) {
    String ownDomain = "@" + t.project() + ".iam.gserviceaccount.com";
    if (!account.endsWith(ownDomain)) {
      return;
    }
    String id = account.substring(0, account.length() - ownDomain.length());
    String displayName =
        isInvoker ? "mise invoker (Cloud Tasks, Eventarc, edge)" : "mise functions runtime";
    steps.add(
        PlanStep.createUnlessExists(
            "Service account " + account,
            gcloud("iam", "service-accounts", "describe", account).with(t.projectFlag()),
            gcloud("iam", "service-accounts", "create", id, "--display-name=" + displayName)
                .with(t.projectFlag())));
  }

  /** Each runtime account may read the secrets its own functions use, and no others. */
  private static void secrets(DeployTarget t, List<FunctionSpec> selected, List<PlanStep> steps) {
    Set<String> granted = new LinkedHashSet<>();
    for (FunctionSpec fn : selected) {
      if (fn.serviceAccount() == null) {
        continue;
      }
      String account = t.resolve(fn.serviceAccount());
      for (String ref : fn.secrets().values()) {
        String secret = ref.substring(0, ref.indexOf(':'));
        if (granted.add(secret + " " + account)) {
          steps.add(
              PlanStep.run(
                  "Let " + account + " read secret " + secret,
                  gcloud("secrets", "add-iam-policy-binding", secret)
                      .with(
                          member(account),
                          "--role=roles/secretmanager.secretAccessor",
                          "--format=none")
                      .with(t.projectFlag())));
        }
      }
    }
  }
}
