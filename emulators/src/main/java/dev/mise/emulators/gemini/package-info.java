/**
 * The Gemini stand-in: a local HTTP server that answers the google-genai SDK's REST calls, scripted
 * by tests or deterministic (schema-valid JSON, tesseract OCR, labelled PNGs, espeak-ng speech,
 * hashed embeddings). Start it with {@link dev.mise.emulators.gemini.GeminiStandIn#start(int)}.
 */
package dev.mise.emulators.gemini;
