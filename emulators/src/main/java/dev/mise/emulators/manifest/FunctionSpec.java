package dev.mise.emulators.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One deployed Cloud Function: where its code is ({@code module}, {@code entryPoint}), what invokes
 * it ({@code trigger}), who may ({@code access}, {@code routes} on the edge), its resources, and
 * its environment. {@code env} values may hold {@code ${project}}, {@code ${region}} and {@code
 * ${url:<function>}}, resolved by {@link Manifest#resolveEnv}; {@code secrets} maps an environment
 * variable to {@code secret-name:version} in Secret Manager. A {@link Manifest} hands these out
 * with the defaults applied, so no field but {@code serviceAccount} is null.
 */
public record FunctionSpec(
    String name,
    String module,
    String entryPoint,
    Trigger trigger,
    Access access,
    List<Route> routes,
    String memory,
    String timeout,
    Integer minInstances,
    Integer maxInstances,
    Boolean retry,
    String serviceAccount,
    Map<String, String> env,
    Map<String, String> secrets,
    LocalRun local) {

  /** Whether Eventarc redelivers an event after the function failed (Pub/Sub triggers only). */
  public boolean retries() {
    return Boolean.TRUE.equals(retry);
  }

  /** The port the local stack runs this function on. */
  public int localPort() {
    return local.port();
  }

  FunctionSpec withDefaults(Defaults d) {
    Map<String, String> mergedEnv = new LinkedHashMap<>(d.env());
    mergedEnv.putAll(env);
    return new FunctionSpec(
        name,
        module,
        entryPoint,
        trigger,
        access,
        routes,
        memory != null ? memory : d.memory(),
        timeout != null ? timeout : d.timeout(),
        minInstances != null ? minInstances : d.minInstances(),
        maxInstances != null ? maxInstances : d.maxInstances(),
        retries(),
        serviceAccount != null ? serviceAccount : d.serviceAccount(),
        Collections.unmodifiableMap(mergedEnv),
        secrets,
        local);
  }
}
