package dev.mise.emulators.manifest;

/**
 * One public path the edge forwards to a function: an HTTP method, a path pattern whose segments
 * are literals or {@code {name}} parameters (e.g. {@code /api/ocr/status/{jobId}}), and the largest
 * request body the edge lets through (0 for bodiless requests).
 */
public record Route(String method, String path, Long maxBodyBytes) {}
