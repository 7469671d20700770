package dev.mise.ocr;

import dev.mise.common.http.JsonBindingException;
import dev.mise.common.http.Problem;
import dev.mise.common.http.StrictJson;
import dev.mise.common.logging.Log;
import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelReply;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.models.Models;
import dev.mise.common.pipeline.StepFailedException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a page's raw text into a {@link Recipe} by Gemini structured output. An answer that is not
 * valid JSON, or does not fit the recipe, gets exactly one repair request that quotes the errors; a
 * second bad answer fails the job ({@code invalid_model_output}) instead of looping. Transient
 * model errors are thrown on for the queue to retry; a blocked answer fails the job.
 */
final class RecipeExtractor {
  static final String SYSTEM =
      "The user's message is the OCR text of a printed or handwritten recipe; turn it into"
          + " structured data. Use only what"
          + " the text says: do not invent ingredients, amounts or steps. Fix obvious OCR slips"
          + " (0 for O, l for 1) only where the meaning is certain. Keep the page's language.";

  private final Models models;
  private final String model;
  private final Duration timeout;

  RecipeExtractor(Models models, String model, Duration timeout) {
    this.models = models;
    this.model = model;
    this.timeout = timeout;
  }

  Recipe extract(String rawText, Log log) throws StepFailedException {
    ModelRequest request =
        new ModelRequest(
            model,
            SYSTEM,
            // The page's text alone in the user turn: the instruction is the system's.
            List.of(new ModelRequest.Part.Text(rawText)),
            Recipe.SCHEMA,
            false,
            false,
            timeout);
    String first = call(request);
    try {
      return parse(first);
    } catch (JsonBindingException invalid) {
      log.warn("model answer invalid; asking once for a repair", "errors", invalid.getMessage());
      String repaired = call(repairOf(request, first, invalid.errors()));
      try {
        return parse(repaired);
      } catch (JsonBindingException stillInvalid) {
        log.warn("repaired answer still invalid", "errors", stillInvalid.getMessage());
        throw new StepFailedException(
            "invalid_model_output", "The recipe could not be structured from the page's text.");
      }
    }
  }

  static Recipe parse(String json) throws JsonBindingException {
    Recipe recipe = StrictJson.parse(json, Recipe.class);
    if (recipe.ingredients().isEmpty() && recipe.steps().isEmpty()) {
      throw new JsonBindingException(
          "no recipe",
          List.of(
              new Problem.FieldError("/ingredients", "neither ingredients nor steps were found")));
    }
    return recipe;
  }

  private static ModelRequest repairOf(
      ModelRequest original, String answer, List<Problem.FieldError> errors) {
    String problems =
        errors.stream()
            .map(
                e ->
                    "- "
                        + (e.pointer().isEmpty() ? "(whole answer)" : e.pointer())
                        + ": "
                        + e.detail())
            .collect(Collectors.joining("\n"));
    String clipped = answer.length() > 20_000 ? answer.substring(0, 20_000) : answer;
    List<ModelRequest.Part> parts =
        List.of(
            original.parts().get(0),
            new ModelRequest.Part.Text(
                "Your previous answer was rejected:\n"
                    + problems
                    + "\n\nPrevious answer:\n"
                    + clipped
                    + "\n\nAnswer again with JSON that fits the schema exactly."));
    return new ModelRequest(
        original.model(),
        original.systemInstruction(),
        parts,
        original.responseSchema(),
        false,
        false,
        original.timeout());
  }

  private String call(ModelRequest request) throws StepFailedException {
    try {
      ModelReply reply = models.generate(request);
      return reply.text();
    } catch (ModelException e) {
      throw OcrErrors.permanentOrRethrow(e);
    }
  }
}
