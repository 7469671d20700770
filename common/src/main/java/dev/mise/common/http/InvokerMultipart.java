package dev.mise.common.http;

import com.google.cloud.functions.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The parts java-function-invoker 2.0.0 already parsed. The invoker wraps every HTTP function in
 * Jetty's {@code EagerContentHandler}, which reads a {@code multipart/form-data} body completely
 * before the function runs (refusing any part over Jetty's default 10 MB), so the body stream is
 * empty by then. {@code HttpRequest.getParts()} exposes that result only as a map keyed by field
 * name, which drops all but one of several files under one name; this class reads the full list
 * from Jetty's {@code MultiPartFormData.Parts} instead.
 *
 * <p>The function's class loader cannot see Jetty's classes (the invoker exposes only the functions
 * API to it), so everything here goes through reflection on the objects the invoker hands over;
 * under any other host, or a future invoker that leaves the body alone, {@link #parts} answers
 * empty and {@link MultipartForm} parses the stream itself.
 */
final class InvokerMultipart {
  private InvokerMultipart() {}

  /** The pre-parsed parts, or empty when the body was not parsed ahead of the function. */
  static Optional<List<MultipartForm.Part>> parts(HttpRequest request, MultipartForm.Limits limits)
      throws IOException {
    Object jettyRequest = jettyRequest(request);
    if (jettyRequest == null) {
      return Optional.empty();
    }
    Object parts;
    try {
      ClassLoader loader = jettyRequest.getClass().getClassLoader();
      Class<?> formData = Class.forName("org.eclipse.jetty.http.MultiPartFormData", false, loader);
      Class<?> attributes = Class.forName("org.eclipse.jetty.util.Attributes", false, loader);
      Object future = formData.getMethod("get", attributes).invoke(null, jettyRequest);
      if (!(future instanceof CompletableFuture<?> loaded) || !loaded.isDone()) {
        return Optional.empty();
      }
      parts = loaded.join();
    } catch (CompletionException e) {
      throw refusal(e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      return Optional.empty();
    }
    return Optional.of(read((Iterable<?>) parts, limits));
  }

  private static List<MultipartForm.Part> read(Iterable<?> parts, MultipartForm.Limits limits)
      throws IOException {
    List<MultipartForm.Part> result = new ArrayList<>();
    int files = 0;
    int fields = 0;
    long total = 0;
    try {
      for (Object part : parts) {
        String name = (String) call(part, "getName");
        String fileName = (String) call(part, "getFileName");
        if (name == null) {
          throw ProblemException.badRequest(
              "Malformed multipart body: every part needs Content-Disposition: form-data; name=...");
        }
        Object headers = call(part, "getHeaders");
        String contentType = (String) call(headers, "get", "Content-Type");
        long length = (Long) call(part, "getLength");
        long limit;
        if (fileName != null) {
          files++;
          MultipartParser.checkFileCount(name, files, limits);
          limit = limits.maxFileBytes();
        } else {
          MultipartParser.checkFieldCount(++fields, limits);
          limit = limits.maxFieldBytes();
        }
        total += Math.max(0, length);
        if (total > limits.maxTotalBytes()) {
          throw MultipartParser.totalTooLarge(limits);
        }
        if (length > limit) {
          throw MultipartParser.partTooLarge(name, fileName != null, limit);
        }
        byte[] data;
        try (InputStream in = contentOf(part)) {
          data = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        }
        if (data.length > limit) {
          throw MultipartParser.partTooLarge(name, fileName != null, limit);
        }
        result.add(
            new MultipartForm.Part(
                name,
                fileName,
                contentType == null ? "application/octet-stream" : contentType,
                data));
      }
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot read the invoker's multipart parts", e);
    }
    return result;
  }

  private static InputStream contentOf(Object part) throws ReflectiveOperationException {
    Object source = call(part, "createContentSource");
    Class<?> sourceType =
        Class.forName(
            "org.eclipse.jetty.io.Content$Source", false, source.getClass().getClassLoader());
    return (InputStream) sourceType.getMethod("asInputStream", sourceType).invoke(null, source);
  }

  /** Jetty's reasons, as our problems: its part-size limit is a 413, everything else a 400. */
  private static ProblemException refusal(Throwable cause) {
    String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    if (message.startsWith("max ") && message.contains("exceeded")) {
      return ProblemException.tooLarge("The upload is over the size limit (" + message + ").");
    }
    return ProblemException.badRequest(
        "The multipart body could not be read (truncated or malformed upload?).");
  }

  private static Object jettyRequest(HttpRequest request) {
    for (Class<?> c = request.getClass(); c != null; c = c.getSuperclass()) {
      if (!c.getName().startsWith("com.google.cloud.functions.invoker.")) {
        continue;
      }
      try {
        Field field = c.getDeclaredField("request");
        field.setAccessible(true);
        return field.get(request);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  private static Object call(Object target, String method, Object... args)
      throws ReflectiveOperationException {
    Class<?>[] types = new Class<?>[args.length];
    for (int i = 0; i < args.length; i++) {
      types[i] = args[i].getClass();
    }
    return publicMethod(target.getClass(), method, types).invoke(target, args);
  }

  /**
   * A method reached through a public type: Jetty's implementation classes are often not public
   * (ImmutableHttpFields), so their methods are called through the public class or interface that
   * declares them.
   */
  private static Method publicMethod(Class<?> type, String name, Class<?>... params)
      throws NoSuchMethodException {
    List<Class<?>> pending = new ArrayList<>(List.of(type));
    while (!pending.isEmpty()) {
      Class<?> c = pending.remove(0);
      if (Modifier.isPublic(c.getModifiers())) {
        try {
          return c.getMethod(name, params);
        } catch (NoSuchMethodException ignored) {
          // keep looking in the supertypes
        }
      }
      if (c.getSuperclass() != null) {
        pending.add(c.getSuperclass());
      }
      pending.addAll(List.of(c.getInterfaces()));
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }
}
