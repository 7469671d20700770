/**
 * Generative models behind a port: {@link dev.mise.common.models.Models}, implemented over the
 * google-genai SDK by {@link dev.mise.common.models.GeminiModels} (Gemini API, Vertex AI, or the
 * local stand-in by base URL), and by {@code dev.mise.common.testing.ScriptedModels} in unit tests.
 *
 * <pre>{@code
 * Models models = new GeminiModels(); // GOOGLE_API_KEY, MODEL_TIMEOUT, MODEL_RETRY_ATTEMPTS, ...
 * ModelReply reply =
 *     models.generate(
 *         new ModelRequest(
 *                 "gemini-2.5-flash",
 *                 "Extract the recipe.",
 *                 List.of(new ModelRequest.Part.Inline("image/jpeg", photo)),
 *                 RECIPE_SCHEMA, // JSON Schema as a string: the reply's text is JSON
 *                 false,
 *                 false,
 *                 Duration.ofSeconds(30)));
 * // ModelException.kind(): RATE_LIMITED, UNAVAILABLE, TIMEOUT (transient), BLOCKED, INVALID_REQUEST
 * }</pre>
 */
package dev.mise.common.models;
