package dev.mise.common.http;

import com.google.cloud.functions.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body, read from the request stream with limits enforced while
 * reading: the request is refused with 413 as soon as one file or the whole body crosses its limit
 * (or up front, when {@code Content-Length} already says so), so the rest is never read. A body
 * that ends before its closing boundary is a 400, as are too many files or fields.
 *
 * <p>It does not use {@code HttpRequest.getParts()}, which keys parts by field name in a map: of
 * several files sent under one name (pages of one recipe under {@code image}) only the last
 * survives. Under java-function-invoker 2.0.0 the body has already been read by Jetty before the
 * function runs (see {@link InvokerMultipart}): then the limits are checked on the parts Jetty
 * kept, Jetty itself stops reading at 10 MB per part, and the byte-exact streaming limit is the
 * edge's. Elsewhere the stream is parsed here with every limit enforced while reading.
 *
 * <pre>{@code
 * MultipartForm form = MultipartForm.read(request, new MultipartForm.Limits(10 << 20, 25 << 20, 10, 5, 4096));
 * for (MultipartForm.Part page : form.files("image")) { ... page.data() ... }
 * }</pre>
 */
public final class MultipartForm {

  /**
   * How much a form may hold.
   *
   * @param maxFileBytes largest file part
   * @param maxTotalBytes largest body, boundaries and headers included
   * @param maxFiles most file parts (parts with a {@code filename})
   * @param maxFields most plain fields
   * @param maxFieldBytes largest plain field
   */
  public record Limits(
      long maxFileBytes, long maxTotalBytes, int maxFiles, int maxFields, long maxFieldBytes) {}

  /**
   * One part. {@code fileName} is null for a plain field; {@code contentType} is what the client
   * claimed ({@code application/octet-stream} when it claimed nothing) and is not to be trusted.
   */
  public record Part(String name, String fileName, String contentType, byte[] data) {
    public boolean isFile() {
      return fileName != null;
    }

    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private final List<Part> parts;

  MultipartForm(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /** Reads the request's body; 415 unless it is {@code multipart/form-data}. */
  public static MultipartForm read(HttpRequest request, Limits limits) throws IOException {
    String contentType = request.getContentType().orElse("");
    boundaryOf(contentType);
    if (request.getContentLength() > limits.maxTotalBytes()) {
      throw MultipartParser.totalTooLarge(limits);
    }
    Optional<List<Part>> preParsed = InvokerMultipart.parts(request, limits);
    if (preParsed.isPresent()) {
      return new MultipartForm(preParsed.get());
    }
    return parse(contentType, request.getContentLength(), request.getInputStream(), limits);
  }

  /** Parses a body given its {@code Content-Type} and length ({@code -1} when unknown). */
  public static MultipartForm parse(
      String contentType, long contentLength, InputStream body, Limits limits) throws IOException {
    String boundary = boundaryOf(contentType);
    if (contentLength > limits.maxTotalBytes()) {
      throw MultipartParser.totalTooLarge(limits);
    }
    return new MultipartForm(new MultipartParser(body, boundary, limits).parse());
  }

  /** Every part, in the order sent. */
  public List<Part> parts() {
    return parts;
  }

  /** The file parts sent under a field name, in the order sent. */
  public List<Part> files(String name) {
    return parts.stream().filter(p -> p.isFile() && p.name().equals(name)).toList();
  }

  /** The first plain field of that name. */
  public Optional<String> field(String name) {
    return parts.stream()
        .filter(p -> !p.isFile() && p.name().equals(name))
        .findFirst()
        .map(Part::text);
  }

  static String boundaryOf(String contentType) {
    Map<String, String> params = HeaderParams.parse(contentType);
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("multipart/form-data")) {
      throw ProblemException.unsupportedType(
          "Send the files as multipart/form-data"
              + (mediaType.isEmpty() ? "." : ", not " + mediaType + "."));
    }
    String boundary = params.get("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
      throw ProblemException.badRequest("The multipart Content-Type has no usable boundary.");
    }
    return boundary;
  }

  /** Human-readable byte counts for messages. */
  static final class Sizes {
    private Sizes() {}

    static String describe(long bytes) {
      if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
        return (bytes >> 20) + " MB";
      }
      if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
        return (bytes >> 10) + " KB";
      }
      return bytes + " bytes";
    }
  }
}
