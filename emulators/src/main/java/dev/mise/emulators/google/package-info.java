/**
 * Google's own local tools as child processes: the Firestore and Pub/Sub emulators of gcloud and
 * the official {@code java-function-invoker}. Each binds 127.0.0.1 on a free port, is awaited until
 * it answers, and is stopped with its whole process tree.
 *
 * <pre>{@code
 * // in a test: one emulator per JVM, or the one FIRESTORE_EMULATOR_HOST names
 * Env env = new Env(Map.of(
 *     "GOOGLE_CLOUD_PROJECT", "demo-test",
 *     "FIRESTORE_EMULATOR_HOST", SharedEmulators.firestore().host()));
 * }</pre>
 */
package dev.mise.emulators.google;
