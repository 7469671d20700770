package dev.mise.ocr;

import dev.mise.common.models.ModelException;
import dev.mise.common.models.ModelRequest;
import dev.mise.common.models.Models;
import dev.mise.common.pipeline.StepFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the text of recipe pages with Gemini vision, one call per page, all pages at once (the
 * calls wait on the network, not the CPU), keeping the pages' order in the result.
 */
final class PageReader {
  static final String INSTRUCTION =
      "Transcribe all text on this recipe page exactly as printed, line by line, in reading order."
          + " Output only the text, with no commentary and no formatting.";

  private final Models models;
  private final String model;
  private final Duration timeout;

  PageReader(Models models, String model, Duration timeout) {
    this.models = models;
    this.model = model;
    this.timeout = timeout;
  }

  /** The pages' texts in order. Transient model errors are thrown on; permanent ones fail. */
  List<String> read(List<OcrJob.StoredPage> pages, List<byte[]> contents)
      throws StepFailedException, InterruptedException {
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> texts = new ArrayList<>();
      for (int i = 0; i < pages.size(); i++) {
        String mimeType = pages.get(i).contentType();
        byte[] data = contents.get(i);
        texts.add(calls.submit(() -> readOne(mimeType, data)));
      }
      List<String> result = new ArrayList<>();
      for (Future<String> text : texts) {
        result.add(text.get());
      }
      return result;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ModelException model) {
        throw OcrErrors.permanentOrRethrow(model);
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private String readOne(String mimeType, byte[] data) {
    ModelRequest request =
        new ModelRequest(
            model,
            null,
            List.of(
                new ModelRequest.Part.Text(INSTRUCTION),
                new ModelRequest.Part.Inline(mimeType, data)),
            null,
            false,
            false,
            timeout);
    return models.generate(request).text().strip();
  }
}
