/**
 * ocr-status: asynchronous recipe OCR. Four functions, each its own entry point: {@link
 * dev.mise.ocr.Upload} ({@code POST /api/ocr/upload}, user), {@link dev.mise.ocr.OcrWorker}
 * (Pub/Sub {@code ocr-jobs} through Eventarc), {@link dev.mise.ocr.RecipeCleanup} (Cloud Tasks
 * target, internal) and {@link dev.mise.ocr.Status} ({@code GET /api/ocr/status/{jobId}}, user,
 * JSON with ETag or SSE). Job state is one {@code ocrJobs} document run by {@code
 * dev.mise.common.pipeline.StepRunner}; see {@code docs/api.md}.
 */
package dev.mise.ocr;
