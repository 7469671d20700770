/**
 * Test support that both the emulators' own tests and common's tests use (common's test-jar cannot
 * serve the emulators, whose tests it depends on): a recording HTTP target that queues and buses
 * push to.
 *
 * <pre>{@code
 * try (RecordingHttpTarget target = RecordingHttpTarget.start()) {
 *   target.respondWith(503, 204);
 *   // ... enqueue a task for target.url("/steps/ocr") ...
 *   assertEquals("/steps/ocr", target.next().path());
 * }
 * }</pre>
 */
package dev.mise.emulators.testing;
