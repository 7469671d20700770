/**
 * Test doubles shared with the function modules through common's test-jar: in-memory fakes of the
 * ports and stand-ins for HTTP targets.
 *
 * <pre>{@code
 * RecordingTaskQueue tasks = new RecordingTaskQueue();
 * new OcrStep(jobs, tasks).handle(request, response);
 * assertEquals(1, tasks.tasks("ocr-steps").size());
 * }</pre>
 */
package dev.mise.common.testing;
