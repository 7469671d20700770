/**
 * The function manifest ({@code functions/functions.json}) and what is derived from it: the model
 * ({@link dev.mise.emulators.manifest.Manifest}, parsed strictly and validated), placeholder
 * resolution for the cloud and the local stack ({@link dev.mise.emulators.manifest.Placeholders}),
 * and the deployment ({@link dev.mise.emulators.manifest.DeployPlan}, run by {@code deploy.sh}).
 *
 * <pre>{@code
 * Manifest manifest = Manifest.load(Path.of("functions/functions.json"));
 * FunctionSpec health = manifest.requireFunction("health");
 * Map<String, String> env = manifest.resolveEnv(health, Placeholders.local("demo-mise", "europe-west1"));
 * }</pre>
 */
package dev.mise.emulators.manifest;
