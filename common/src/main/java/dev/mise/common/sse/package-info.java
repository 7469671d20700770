/**
 * Server-Sent Events for HTTP functions: {@link dev.mise.common.sse.SseStream} writes a stream
 * (headers, {@code retry:}, events flushed one by one, heartbeats, disconnect detection) and {@link
 * dev.mise.common.sse.SseReplay} picks the events a reconnecting client missed.
 *
 * <pre>{@code
 * ScheduledExecutorService heartbeats = ...; // one per instance, created lazily
 * try (SseStream stream = SseStream.open(response, SseStream.Options.DEFAULTS, heartbeats)) {
 *   for (SseEvent missed : SseReplay.after(log, SseReplay.lastEventId(request).orElse(null))) {
 *     stream.send(missed);
 *   }
 *   stream.send(SseEvent.json("7", "done", doneJson));
 * }
 * }</pre>
 */
package dev.mise.common.sse;
