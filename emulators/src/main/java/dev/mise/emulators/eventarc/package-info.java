/**
 * The Eventarc stand-in: Pub/Sub emulator messages delivered to local functions as {@code
 * google.cloud.pubsub.topic.v1.messagePublished} CloudEvents, with retries and dead letters.
 *
 * <pre>{@code
 * Trigger echo = new Trigger("health-echo", "health-events", URI.create("http://127.0.0.1:8102/"),
 *     "health-events-dead", 5);
 * try (EventarcStandIn eventarc = EventarcStandIn.start("demo-mise", pubsubHost, List.of(echo))) {
 *   // publish to health-events; the function receives a CloudEvent
 * }
 * }</pre>
 */
package dev.mise.emulators.eventarc;
