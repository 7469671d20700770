package dev.mise.ocr;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.mise.common.http.StrictJson;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.pipeline.Step;
import dev.mise.common.pipeline.StepContext;
import dev.mise.common.pipeline.StepFailedException;
import dev.mise.common.pipeline.StepResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recipe-cleanup step: structures the OCR step's raw text into a {@link Recipe} and completes
 * the job with {@code result: {recipe, rawText}}, {@code processingMs} (upload to completion) and
 * per-stage {@code timings}.
 */
final class CleanupStep implements Step {
  // A stored recipe keeps its nulls ("servings": null) so every result has the same shape.
  private static final com.google.gson.Gson WITH_NULLS =
      StrictJson.gson().newBuilder().serializeNulls().create();

  private final RecipeExtractor extractor;
  private final Clock clock;

  CleanupStep(RecipeExtractor extractor, Clock clock) {
    this.extractor = extractor;
    this.clock = clock;
  }

  @Override
  public String name() {
    return OcrJob.CLEANUP_STEP;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    String ocr =
        context
            .outputOf(OcrJob.OCR_STEP)
            .orElseThrow(() -> new StepFailedException("ocr_missing", "The page text is missing."));
    List<String> pages = new ArrayList<>();
    JsonParser.parseString(ocr)
        .getAsJsonObject()
        .getAsJsonArray("pages")
        .forEach(p -> pages.add(p.getAsString()));
    String rawText = String.join("\n\n", pages);
    long start = clock.millis();
    Recipe recipe = extractor.extract(rawText, context.log());
    Instant now = clock.instant();
    String recipeJson = WITH_NULLS.toJson(recipe);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("recipe", toJava(JsonParser.parseString(recipeJson)));
    result.put("rawText", rawText);
    Map<String, Object> timings = new LinkedHashMap<>();
    Map<String, Object> ocrStep = JobDocument.step(context.job(), OcrJob.OCR_STEP);
    if (ocrStep.get("ms") instanceof Number ms) {
      timings.put("ocrMs", ms.longValue());
    }
    timings.put("cleanupMs", now.toEpochMilli() - start);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(OcrJob.RESULT, result);
    fields.put(OcrJob.TIMINGS, timings);
    if (context.job().get(JobDocument.CREATED_AT) instanceof Instant created) {
      fields.put(OcrJob.PROCESSING_MS, Duration.between(created, now).toMillis());
    }
    return StepResult.completing(recipeJson, fields);
  }

  @Override
  public String exhaustedCode(Exception cause) {
    return OcrErrors.exhausted(cause);
  }

  /** JSON as the plain Java values a job document holds (whole numbers as Long). */
  static Object toJava(JsonElement json) {
    if (json == null || json.isJsonNull()) {
      return null;
    }
    if (json.isJsonObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      json.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
      return map;
    }
    if (json.isJsonArray()) {
      List<Object> list = new ArrayList<>();
      json.getAsJsonArray().forEach(e -> list.add(toJava(e)));
      return list;
    }
    var primitive = json.getAsJsonPrimitive();
    if (primitive.isBoolean()) {
      return primitive.getAsBoolean();
    }
    if (primitive.isNumber()) {
      var number = primitive.getAsBigDecimal();
      return number.stripTrailingZeros().scale() <= 0
              && number.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) < 0
          ? (Object) number.longValueExact()
          : (Object) number.doubleValue();
    }
    return primitive.getAsString();
  }
}
