package dev.mise.emulators.manifest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules for {@code $.functions}: names, code, triggers, access and routes, resources. */
final class FunctionRules {

  // Cloud Run service names: what a 2nd gen function becomes.
  private static final Pattern FUNCTION_NAME = Pattern.compile("[a-z]([a-z0-9-]{0,47}[a-z0-9])?");
  private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern CLASS_NAME =
      Pattern.compile("([a-z_][a-zA-Z0-9_]*\\.)+[A-Z][a-zA-Z0-9_$]*");
  private static final Pattern SECRET_REF =
      Pattern.compile("[A-Za-z0-9_-]{1,255}:(latest|[1-9][0-9]*)");
  private static final Pattern PATH_SEGMENT =
      Pattern.compile("[A-Za-z0-9._~-]+|\\{[a-zA-Z][a-zA-Z0-9]*\\}");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final int MAX_EVENT_TIMEOUT_SECONDS = 540;

  private final Manifest m;
  private final ValueChecks checks;
  private final Set<String> topicNames;
  private final Set<String> queueNames;

  FunctionRules(
      Manifest manifest, ValueChecks checks, Set<String> topicNames, Set<String> queueNames) {
    this.m = manifest;
    this.checks = checks;
    this.topicNames = topicNames;
    this.queueNames = queueNames;
  }

  void check() {
    if (m.functions().isEmpty()) {
      checks.problem("$.functions", "lists no function");
    }
    Set<String> names = new HashSet<>();
    Map<Integer, String> ports = new HashMap<>();
    Map<String, String> routes = new HashMap<>();
    for (int i = 0; i < m.functions().size(); i++) {
      FunctionSpec fn = m.functions().get(i);
      String at = "$.functions[" + i + "]";
      if (checks.required(at + ".name", fn.name())
          && checks.matches(
              at + ".name",
              fn.name(),
              FUNCTION_NAME,
              "lower-case letters, digits and hyphens, starting with a letter, at most 49")) {
        checks.unique(at + ".name", fn.name(), names, "function");
      }
      if (checks.required(at + ".module", fn.module())) {
        checks.matches(at + ".module", fn.module(), MODULE, "a folder name under functions/");
      }
      if (checks.required(at + ".entryPoint", fn.entryPoint())) {
        checks.matches(
            at + ".entryPoint", fn.entryPoint(), CLASS_NAME, "a fully qualified class name");
      }
      checkTriggerAndAccess(at, fn);
      checkRoutes(at, fn, routes);
      checkResources(at, fn);
      checks.serviceAccount(at + ".serviceAccount", fn.serviceAccount());
      checks.env(at + ".env", fn.env());
      for (Map.Entry<String, String> secret : fn.secrets().entrySet()) {
        String p = at + ".secrets." + secret.getKey();
        checks.envName(p, secret.getKey());
        if (fn.env().containsKey(secret.getKey())) {
          checks.problem(p, "is also set in env");
        }
        checks.matches(
            p, secret.getValue(), SECRET_REF, "secret-name:version (a number or latest)");
      }
      if (checks.required(at + ".local", fn.local())
          && checks.required(at + ".local.port", fn.local().port())) {
        if (checks.between(at + ".local.port", fn.local().port(), 1024, 65535)) {
          String other = ports.putIfAbsent(fn.local().port(), fn.name());
          if (other != null) {
            checks.problem(at + ".local.port", fn.local().port() + " is already used by " + other);
          }
        }
      }
    }
  }

  private void checkTriggerAndAccess(String at, FunctionSpec fn) {
    if (checks.required(at + ".trigger", fn.trigger())) {
      switch (fn.trigger()) {
        case Trigger.PubSub p when !topicNames.contains(p.topic()) ->
            checks.problem(
                at + ".trigger", "topic '" + p.topic() + "' is not declared in $.topics");
        case Trigger.Tasks t when !queueNames.contains(t.queue()) ->
            checks.problem(
                at + ".trigger", "queue '" + t.queue() + "' is not declared in $.queues");
        default -> {}
      }
    }
    if (checks.required(at + ".access", fn.access())
        && fn.trigger() != null
        && !(fn.trigger() instanceof Trigger.Http)
        && fn.access() != Access.INTERNAL) {
      checks.problem(
          at + ".access", "must be internal for a " + fn.trigger().wireName() + " trigger");
    }
    if (fn.retries() && !(fn.trigger() instanceof Trigger.PubSub)) {
      checks.problem(
          at + ".retry",
          "only applies to pubsub triggers (Cloud Tasks retries come from the queue)");
    }
  }

  private void checkRoutes(String at, FunctionSpec fn, Map<String, String> seen) {
    if (fn.access() == Access.INTERNAL && !fn.routes().isEmpty()) {
      checks.problem(
          at + ".routes", "must be empty: internal functions are not reachable from the edge");
    }
    if (fn.access() != null && fn.access() != Access.INTERNAL && fn.routes().isEmpty()) {
      checks.problem(
          at + ".routes", "is empty: a " + fn.access().wireName() + " function needs a route");
    }
    for (int j = 0; j < fn.routes().size(); j++) {
      Route r = fn.routes().get(j);
      String p = at + ".routes[" + j + "]";
      if (checks.required(p + ".method", r.method()) && !METHODS.contains(r.method())) {
        checks.problem(
            p + ".method", "must be one of " + String.join(", ", new java.util.TreeSet<>(METHODS)));
      }
      if (checks.required(p + ".path", r.path())
          && routePath(p + ".path", r.path())
          && r.method() != null) {
        // Parameter names do not matter to the edge's matcher: /a/{x} and /a/{y} collide.
        String key = r.method() + " " + r.path().replaceAll("\\{[^}]*}", "{}");
        String other = seen.putIfAbsent(key, fn.name());
        if (other != null) {
          checks.problem(p, r.method() + " " + r.path() + " is already routed to " + other);
        }
      }
      if (checks.required(p + ".maxBodyBytes", r.maxBodyBytes()) && r.maxBodyBytes() < 0) {
        checks.problem(p + ".maxBodyBytes", "must be 0 or more");
      }
    }
  }

  private boolean routePath(String at, String path) {
    if (!path.startsWith("/") || path.length() == 1) {
      checks.problem(at, "must start with / and name a resource, e.g. /api/health");
      return false;
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (!PATH_SEGMENT.matcher(segment).matches()) {
        checks.problem(at, "segment '" + segment + "' is neither a literal nor a {parameter}");
        return false;
      }
    }
    return true;
  }

  private void checkResources(String at, FunctionSpec fn) {
    if (fn.memory() != null) {
      checks.memory(at + ".memory", fn.memory());
    }
    int maxTimeout =
        fn.trigger() instanceof Trigger.PubSub
            ? MAX_EVENT_TIMEOUT_SECONDS
            : ValueChecks.MAX_HTTP_TIMEOUT_SECONDS;
    if (fn.timeout() != null) {
      checks.timeout(at + ".timeout", fn.timeout(), maxTimeout);
    } else if (m.defaults() != null && m.defaults().timeout() != null) {
      Matcher dm = ValueChecks.TIMEOUT.matcher(m.defaults().timeout());
      if (dm.matches() && Long.parseLong(dm.group(1)) > maxTimeout) {
        checks.problem(at + ".timeout", "is needed: the default is above " + maxTimeout + "s");
      }
    }
    if (fn.minInstances() != null) {
      checks.atLeast(at + ".minInstances", fn.minInstances(), 0);
    }
    if (fn.maxInstances() != null) {
      checks.atLeast(at + ".maxInstances", fn.maxInstances(), 1);
    }
    Integer min = fn.minInstances() != null ? fn.minInstances() : defaultOrNull(true);
    Integer max = fn.maxInstances() != null ? fn.maxInstances() : defaultOrNull(false);
    if (min != null && max != null && min > max) {
      checks.problem(
          at + ".minInstances", "(" + min + ") is larger than maxInstances (" + max + ")");
    }
  }

  private Integer defaultOrNull(boolean min) {
    Defaults d = m.defaults();
    return d == null ? null : min ? d.minInstances() : d.maxInstances();
  }
}
