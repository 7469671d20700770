/**
 * The event bus port and its Pub/Sub adapter, and the Pub/Sub message as an event function receives
 * it.
 *
 * <pre>{@code
 * EventBus bus = new PubSubEventBus(); // GOOGLE_CLOUD_PROJECT, PUBSUB_EMULATOR_HOST
 * String id = bus.publish("ocr-requests", json, Map.of("jobId", jobId));
 *
 * // in a CloudEventsFunction subscribed to the topic:
 * PubSubMessage message = PubSubMessage.from(event);
 * }</pre>
 */
package dev.mise.common.events;
