package dev.mise.common.http;

import com.google.cloud.functions.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a JSON request body strictly: {@code Content-Type} must be {@code application/json} (or a
 * {@code +json} type), else 415; a body over the limit is refused with 413 as soon as the limit is
 * crossed (or at once when {@code Content-Length} says so); anything {@link StrictJson} rejects is
 * a 400 whose {@code errors[]} point at the fields.
 *
 * <pre>{@code
 * CleanupTask task = JsonBody.read(request, CleanupTask.class, 64 * 1024);
 * }</pre>
 */
public final class JsonBody {

  private JsonBody() {}

  public static <T> T read(HttpRequest request, Class<T> type, long maxBytes) throws IOException {
    return type.cast(read(request, (Type) type, maxBytes));
  }

  public static Object read(HttpRequest request, Type type, long maxBytes) throws IOException {
    String contentType = request.getContentType().orElse("");
    if (!isJson(contentType)) {
      throw ProblemException.unsupportedType(
          "Send the body as application/json"
              + (contentType.isEmpty() ? "." : ", not " + contentType + "."));
    }
    if (request.getContentLength() > maxBytes) {
      throw ProblemException.tooLarge("The body may hold at most " + maxBytes + " bytes.");
    }
    InputStream limited = new LimitedInputStream(request.getInputStream(), maxBytes);
    try (Reader reader = new InputStreamReader(limited, StandardCharsets.UTF_8)) {
      return StrictJson.parse(reader, type);
    } catch (JsonBindingException e) {
      throw e.toProblem();
    }
  }

  static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }
}
