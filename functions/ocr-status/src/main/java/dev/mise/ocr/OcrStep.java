package dev.mise.ocr;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mise.common.blobs.BlobStore;
import dev.mise.common.pipeline.NextStep;
import dev.mise.common.pipeline.Step;
import dev.mise.common.pipeline.StepContext;
import dev.mise.common.pipeline.StepFailedException;
import dev.mise.common.pipeline.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The OCR step: reads every uploaded page with Gemini vision (order kept) and memoizes the raw text
 * as {@code {"pages": [...]}}; then chains the recipe-cleanup step.
 */
final class OcrStep implements Step {
  private final BlobStore blobs;
  private final PageReader reader;
  private final Function<String, Optional<NextStep>> cleanupTask;

  /**
   * @param cleanupTask the cleanup task for a job id, or empty when the caller runs cleanup itself
   *     (the synchronous fallback)
   */
  OcrStep(BlobStore blobs, PageReader reader, Function<String, Optional<NextStep>> cleanupTask) {
    this.blobs = blobs;
    this.reader = reader;
    this.cleanupTask = cleanupTask;
  }

  @Override
  public String name() {
    return OcrJob.OCR_STEP;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    List<OcrJob.StoredPage> pages = OcrJob.pages(context.job());
    if (pages.isEmpty()) {
      throw new StepFailedException("no_pages", "The job has no pages.");
    }
    List<byte[]> contents = new ArrayList<>();
    for (OcrJob.StoredPage page : pages) {
      contents.add(
          blobs
              .get(page.key())
              .orElseThrow(
                  () -> new StepFailedException("pages_missing", "An uploaded page is gone."))
              .data());
    }
    List<String> texts = reader.read(pages, contents);
    if (texts.stream().allMatch(String::isBlank)) {
      throw new StepFailedException("no_text_found", "No text was found on the pages.");
    }
    JsonArray array = new JsonArray();
    texts.forEach(array::add);
    JsonObject output = new JsonObject();
    output.add("pages", array);
    context
        .log()
        .info(
            "pages read",
            "pages",
            texts.size(),
            "chars",
            texts.stream().mapToInt(String::length).sum());
    return StepResult.of(output.toString());
  }

  @Override
  public Optional<NextStep> next(StepContext context, String output) {
    return cleanupTask.apply(context.jobId());
  }

  @Override
  public String exhaustedCode(Exception cause) {
    return OcrErrors.exhausted(cause);
  }
}
