package dev.mise.emulators.manifest;

import java.util.Map;

/**
 * Values every function gets unless it sets its own. {@code env} is merged under each function's
 * own {@code env}. The service accounts may use {@code ${project}}; {@code invokerServiceAccount}
 * is the identity Cloud Tasks, Eventarc and the edge use to call non-public functions.
 */
public record Defaults(
    String region,
    String runtime,
    String memory,
    String timeout,
    Integer minInstances,
    Integer maxInstances,
    String serviceAccount,
    String invokerServiceAccount,
    Map<String, String> env) {}
