package dev.mise.scan.request;

import com.google.cloud.functions.HttpRequest;
import dev.mise.common.http.FileType;
import dev.mise.common.http.JsonBody;
import dev.mise.common.http.MultipartForm;
import dev.mise.common.http.OptionalField;
import dev.mise.common.http.Problem.FieldError;
import dev.mise.common.http.ProblemException;
import dev.mise.scan.menu.Dietary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a scan request, JSON ({@code {"image": "<base64>", "mimeType", "targetLanguage",
 * "dietary"}}) or {@code multipart/form-data} (a file part {@code image} and the same fields), and
 * validates all of it before the stream starts: the photo must be a JPEG, PNG, WebP or HEIC by its
 * first bytes and at most 8 MB decoded; a declared {@code mimeType} must agree with the bytes;
 * languages and dietary filters must be known. Unknown fields are refused, as everywhere.
 */
public final class ScanRequestReader {

  public static final int MAX_IMAGE_BYTES = 8 * 1024 * 1024;
  // Base64 takes 4 bytes per 3, plus room for the other fields.
  static final long MAX_JSON_BYTES = MAX_IMAGE_BYTES / 3 * 4 + 64 * 1024;
  static final Set<FileType> PHOTOS =
      EnumSet.of(FileType.JPEG, FileType.PNG, FileType.WEBP, FileType.HEIC, FileType.HEIF);
  private static final int MAX_DIETARY = 12;
  private static final Pattern DATA_URL = Pattern.compile("^data:[\\w.+/-]+;base64,");
  private static final Set<String> FORM_FIELDS =
      Set.of("image", "mimeType", "targetLanguage", "dietary");
  private static final MultipartForm.Limits FORM_LIMITS =
      new MultipartForm.Limits(MAX_IMAGE_BYTES, MAX_IMAGE_BYTES + 64 * 1024, 1, 16, 1024);

  /** The JSON form of the request. */
  record JsonScan(
      String image,
      @OptionalField String mimeType,
      @OptionalField String targetLanguage,
      @OptionalField List<String> dietary) {}

  private ScanRequestReader() {}

  public static ScanRequest read(HttpRequest request) throws IOException {
    String mediaType =
        request.getContentType().orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    String acceptLanguage = request.getFirstHeader("Accept-Language").orElse(null);
    if (mediaType.equals("multipart/form-data")) {
      return fromForm(MultipartForm.read(request, FORM_LIMITS), acceptLanguage);
    }
    if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
      return fromJson(JsonBody.read(request, JsonScan.class, MAX_JSON_BYTES), acceptLanguage);
    }
    throw ProblemException.unsupportedType(
        "Send the photo as application/json (base64) or multipart/form-data"
            + (mediaType.isEmpty() ? "." : ", not " + mediaType + "."));
  }

  static ScanRequest fromJson(JsonScan json, String acceptLanguage) {
    List<FieldError> errors = new ArrayList<>();
    byte[] image = null;
    String base64 = DATA_URL.matcher(json.image()).replaceFirst("");
    if (base64.length() > MAX_JSON_BYTES) {
      throw tooLarge();
    }
    try {
      image = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("/image", "is not valid base64"));
    }
    if (image != null && image.length == 0) {
      errors.add(new FieldError("/image", "is empty"));
    }
    String language = language(json.targetLanguage(), acceptLanguage, "/targetLanguage", errors);
    Set<Dietary> dietary = dietary(json.dietary(), "/dietary", errors);
    if (!errors.isEmpty()) {
      throw ProblemException.validation("The scan request is invalid.", errors);
    }
    return new ScanRequest(
        photo(image, json.mimeType(), "/mimeType"), typeOf(image), language, dietary);
  }

  static ScanRequest fromForm(MultipartForm form, String acceptLanguage) {
    List<FieldError> errors = new ArrayList<>();
    List<String> dietaryValues = new ArrayList<>();
    for (MultipartForm.Part part : form.parts()) {
      if (!FORM_FIELDS.contains(part.name())) {
        errors.add(new FieldError("/" + part.name(), "is not a field of this endpoint"));
      } else if (part.name().equals("dietary")) {
        for (String value : part.text().split(",")) {
          if (!value.isBlank()) {
            dietaryValues.add(value.trim());
          }
        }
      } else if (part.name().equals("image") != part.isFile()) {
        errors.add(
            new FieldError(
                "/" + part.name(),
                part.isFile() ? "must be a plain field" : "must be a file part"));
      }
    }
    List<MultipartForm.Part> images = form.files("image");
    if (images.isEmpty()) {
      errors.add(new FieldError("/image", "is required"));
    } else if (images.size() > 1) {
      errors.add(new FieldError("/image", "must be sent once"));
    } else if (images.get(0).data().length == 0) {
      errors.add(new FieldError("/image", "is empty"));
    }
    String language =
        language(
            form.field("targetLanguage").orElse(null), acceptLanguage, "/targetLanguage", errors);
    Set<Dietary> dietary = dietary(dietaryValues, "/dietary", errors);
    if (!errors.isEmpty()) {
      throw ProblemException.validation("The scan request is invalid.", errors);
    }
    byte[] image = images.get(0).data();
    return new ScanRequest(
        photo(image, form.field("mimeType").orElse(null), "/mimeType"),
        typeOf(image),
        language,
        dietary);
  }

  /** Checks size and type of the decoded photo; returns it. */
  private static byte[] photo(byte[] image, String declared, String pointer) {
    if (image.length > MAX_IMAGE_BYTES) {
      throw tooLarge();
    }
    FileType type = typeOf(image);
    if (declared != null) {
      String mime = declared.trim().toLowerCase(Locale.ROOT);
      boolean heifFamily = type == FileType.HEIC || type == FileType.HEIF;
      boolean agrees =
          mime.equals(type.mimeType())
              || (heifFamily && (mime.equals("image/heic") || mime.equals("image/heif")));
      if (!agrees) {
        throw ProblemException.validation(
            "The declared type does not match the photo.",
            List.of(
                new FieldError(
                    pointer, "says " + declared + " but the photo is " + type.mimeType())));
      }
    }
    return image;
  }

  private static FileType typeOf(byte[] image) {
    return FileType.sniff(image)
        .filter(PHOTOS::contains)
        .orElseThrow(
            () ->
                ProblemException.unsupportedType(
                    "The image must be a JPEG, PNG, WebP or HEIC photo."));
  }

  private static String language(
      String explicit, String acceptLanguage, String pointer, List<FieldError> errors) {
    if (explicit == null) {
      return TargetLanguage.fromAcceptLanguage(acceptLanguage);
    }
    return TargetLanguage.parse(explicit.trim())
        .orElseGet(
            () -> {
              errors.add(new FieldError(pointer, "is not a supported language: " + explicit));
              return null;
            });
  }

  private static Set<Dietary> dietary(
      List<String> values, String pointer, List<FieldError> errors) {
    Set<Dietary> dietary = EnumSet.noneOf(Dietary.class);
    if (values == null) {
      return dietary;
    }
    if (values.size() > MAX_DIETARY) {
      errors.add(new FieldError(pointer, "may hold at most " + MAX_DIETARY + " filters"));
      return dietary;
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      int index = i;
      Dietary.fromWire(value == null ? "" : value.trim())
          .ifPresentOrElse(
              dietary::add,
              () ->
                  errors.add(
                      new FieldError(
                          pointer + "/" + index, "is not a known dietary filter: " + value)));
    }
    return dietary;
  }

  private static ProblemException tooLarge() {
    return ProblemException.tooLarge("The photo may be at most 8 MB.");
  }
}
