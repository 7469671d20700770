/**
 * Job state: the document-store port and its Firestore adapter.
 *
 * <pre>{@code
 * JobStore jobs = new FirestoreJobStore(); // GOOGLE_CLOUD_PROJECT, FIRESTORE_EMULATOR_HOST
 * jobs.create("ocrJobs", jobId, Map.of("status", "queued", "createdAt", Instant.now()));
 * jobs.merge("ocrJobs", jobId, Map.of("steps.ocr.status", "done"));
 * boolean leased = jobs.transact("ocrJobs", jobId, doc -> ...);
 * }</pre>
 */
package dev.mise.common.jobs;
