/**
 * A local Cloud Tasks emulator: the v2 gRPC API for the unmodified google-cloud-tasks client, and a
 * dispatcher that delivers HTTP tasks as the service does ({@code X-CloudTasks-*} headers, unsigned
 * OIDC tokens, rate limits, max concurrent dispatches, retries with the documented backoff, task
 * name deduplication). Start it with {@link dev.mise.emulators.tasks.TasksEmulator#start(int)}.
 */
package dev.mise.emulators.tasks;
