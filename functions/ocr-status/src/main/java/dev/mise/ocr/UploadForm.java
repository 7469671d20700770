package dev.mise.ocr;

import com.google.cloud.functions.HttpRequest;
import dev.mise.common.http.FileType;
import dev.mise.common.http.MultipartForm;
import dev.mise.common.http.Problem;
import dev.mise.common.http.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The upload's form, checked before anything is stored: one to ten files under {@code image}, each
 * non-empty and, by its first bytes, a JPEG, PNG, WebP, HEIC/HEIF or PDF; no other fields. Sizes
 * are enforced while reading ({@link MultipartForm}).
 */
final class UploadForm {
  static final String FIELD = "image";
  static final Set<FileType> ACCEPTED =
      EnumSet.of(
          FileType.JPEG, FileType.PNG, FileType.WEBP, FileType.HEIC, FileType.HEIF, FileType.PDF);

  /** One page as uploaded, with its sniffed type. */
  record Page(FileType type, byte[] data) {}

  private UploadForm() {}

  static List<Page> read(HttpRequest request, MultipartForm.Limits limits) throws IOException {
    MultipartForm form = MultipartForm.read(request, limits);
    List<Problem.FieldError> errors = new ArrayList<>();
    boolean unsupported = false;
    List<Page> pages = new ArrayList<>();
    int index = 0;
    for (MultipartForm.Part part : form.parts()) {
      if (!part.name().equals(FIELD)) {
        errors.add(new Problem.FieldError("/" + part.name(), "is not a known field"));
        continue;
      }
      String pointer = "/" + FIELD + "/" + index++;
      if (!part.isFile()) {
        errors.add(new Problem.FieldError(pointer, "must be a file"));
      } else if (part.data().length == 0) {
        errors.add(new Problem.FieldError(pointer, "is empty"));
      } else {
        var type = FileType.sniff(part.data()).filter(ACCEPTED::contains);
        if (type.isEmpty()) {
          unsupported = true;
          errors.add(new Problem.FieldError(pointer, "is not a JPEG, PNG, WebP, HEIC or PDF file"));
        } else {
          pages.add(new Page(type.get(), part.data()));
        }
      }
    }
    if (index == 0 && errors.isEmpty()) {
      errors.add(new Problem.FieldError("/" + FIELD, "at least one image is required"));
    }
    if (!errors.isEmpty()) {
      if (unsupported) {
        throw new ProblemException(
            Problem.of(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "Send recipe photos as JPEG, PNG, WebP, HEIC or PDF.")
                .withErrors(errors));
      }
      throw ProblemException.validation("The upload is not a usable set of recipe pages.", errors);
    }
    return pages;
  }

  /** The upload's fingerprint for {@code Idempotency-Key}: the pages' hashes, in order. */
  static String fingerprint(List<Page> pages) {
    ByteArrayOutputStream hashes = new ByteArrayOutputStream();
    for (Page page : pages) {
      hashes.writeBytes(OcrJob.sha256(page.data()));
    }
    return java.util.HexFormat.of().formatHex(OcrJob.sha256(hashes.toByteArray()));
  }
}
