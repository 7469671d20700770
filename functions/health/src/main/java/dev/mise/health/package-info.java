/**
 * Health checks that exercise the local stack end to end: {@link dev.mise.health.HealthCheck} (an
 * HTTP function) and {@link dev.mise.health.EventEcho} (a Pub/Sub-triggered CloudEvents function
 * that writes to Firestore).
 */
package dev.mise.health;
