/**
 * Test doubles shared with the function modules through common's test-jar: in-memory fakes of the
 * ports, and HTTP requests, responses and bodies to drive functions with. The recording HTTP target
 * lives in the emulators module ({@code dev.mise.emulators.testing}), whose tests use it too.
 *
 * <pre>{@code
 * RecordingTaskQueue tasks = new RecordingTaskQueue();
 * new OcrStep(jobs, tasks).handle(request, response);
 * assertEquals(1, tasks.tasks("ocr-steps").size());
 * }</pre>
 */
package dev.mise.common.testing;
