package dev.mise.common.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.mise.common.config.Env;
import dev.mise.common.logging.Log;
import dev.mise.common.logging.Trace;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one top-level handler of an HTTP function: it gives the request an id (the caller's {@code
 * X-Request-Id} when well-formed, else a new one) and echoes it back, links logs to the caller's
 * trace, and turns every exception into an {@code application/problem+json} answer. A {@link
 * ProblemException} becomes its problem; anything else becomes a bare 500 that carries only the
 * request id, so no stack trace or internal message ever reaches a client (the log has them).
 *
 * <pre>{@code
 * public final class Upload implements HttpFunction {
 *   private final HttpEndpoint endpoint = new HttpEndpoint("ocr-upload", Env.system(), this::handle);
 *
 *   public void service(HttpRequest request, HttpResponse response) {
 *     endpoint.serve(request, response);
 *   }
 *
 *   private void handle(HttpRequest request, HttpResponse response, RequestContext context) {...}
 * }
 * }</pre>
 */
public final class HttpEndpoint {

  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  // Ids are echoed into headers and logs, so only a safe alphabet is taken from the caller.
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  /** The code below the top-level handler. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpRequest request, HttpResponse response, RequestContext context)
        throws Exception;
  }

  private final String projectId;
  private final Log log;
  private final Supplier<String> newRequestId;
  private final Clock clock;
  private final Handler handler;

  /** An endpoint logging as {@code component}, tracing into the project of the environment. */
  public HttpEndpoint(String component, Env env, Handler handler) {
    this(
        env.optional("GOOGLE_CLOUD_PROJECT").or(() -> env.optional("GCLOUD_PROJECT")).orElse(null),
        Log.to(component),
        () -> UUID.randomUUID().toString(),
        Clock.systemUTC(),
        handler);
  }

  public HttpEndpoint(
      String projectId, Log log, Supplier<String> newRequestId, Clock clock, Handler handler) {
    this.projectId = projectId;
    this.log = log;
    this.newRequestId = newRequestId;
    this.clock = clock;
    this.handler = handler;
  }

  /** Serves one request; never throws. */
  public void serve(HttpRequest request, HttpResponse response) {
    long start = clock.millis();
    String requestId =
        request
            .getFirstHeader(REQUEST_ID_HEADER)
            .map(String::trim)
            .filter(id -> SAFE_REQUEST_ID.matcher(id).matches())
            .orElseGet(newRequestId);
    Optional<String> trace =
        projectId == null
            ? Optional.empty()
            : Trace.resource(
                projectId,
                request.getFirstHeader("traceparent").orElse(null),
                request.getFirstHeader("X-Cloud-Trace-Context").orElse(null));
    Log requestLog = log.with("requestId", requestId);
    if (trace.isPresent()) {
      requestLog = requestLog.with(Log.TRACE_KEY, trace.get());
    }
    response.appendHeader(REQUEST_ID_HEADER, requestId);
    TrackedResponse tracked = new TrackedResponse(response);
    try {
      handler.handle(request, tracked, new RequestContext(requestId, trace, requestLog));
      // A handler that closed its body is done; one that did not may still hold buffered bytes.
      tracked.finishQuietly();
      requestLog.info("served", requestFields(request, tracked.status(), clock.millis() - start));
    } catch (ProblemException e) {
      Problem problem = e.problem().withInstance(requestId);
      answer(tracked, problem, e.headers(), requestLog, null);
      if (problem.status() >= 500) {
        requestLog.warn(
            "answered " + problem.status() + " " + problem.kind() + ": " + problem.detail(),
            requestFields(request, problem.status(), clock.millis() - start));
      } else {
        requestLog.info(
            "refused " + problem.status() + " " + problem.kind() + ": " + problem.detail(),
            requestFields(request, problem.status(), clock.millis() - start));
      }
    } catch (Throwable e) {
      Problem problem =
          Problem.of(
                  500,
                  "internal",
                  "Internal error",
                  "Something went wrong on our side. Quote the request id if you report it.")
              .withInstance(requestId);
      answer(tracked, problem, Map.of(), requestLog, e);
      requestLog.error("failed: " + e, e, requestFields(request, 500, clock.millis() - start));
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    }
  }

  private static Object[] requestFields(HttpRequest request, int status, long millis) {
    return new Object[] {
      "method", request.getMethod(), "path", request.getPath(), "status", status, "ms", millis
    };
  }

  private static void answer(
      TrackedResponse response,
      Problem problem,
      Map<String, String> headers,
      Log log,
      Throwable cause) {
    if (response.bodyStarted()) {
      // Status and headers are gone with the first byte: all we can do is end the body.
      log.warn("problem after the body started; not sent", "problemStatus", problem.status());
      response.finishQuietly();
      return;
    }
    try {
      writeProblem(response.delegate(), problem, headers);
    } catch (IOException | RuntimeException e) {
      log.warn("could not write problem: " + e, "problemStatus", problem.status());
    }
  }

  /** Writes a problem document as the whole response. */
  public static void writeProblem(
      HttpResponse response, Problem problem, Map<String, String> headers) throws IOException {
    response.setStatusCode(problem.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.appendHeader("Cache-Control", "no-store");
    headers.forEach(response::appendHeader);
    byte[] body = problem.toJson().toString().getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }

  /** Remembers the status and whether the body was opened, which decides if a problem fits. */
  private static final class TrackedResponse implements HttpResponse {
    private final HttpResponse delegate;
    private int status = 200;
    private OutputStream stream;
    private BufferedWriter writer;

    TrackedResponse(HttpResponse delegate) {
      this.delegate = delegate;
    }

    HttpResponse delegate() {
      return delegate;
    }

    int status() {
      return status;
    }

    boolean bodyStarted() {
      return stream != null || writer != null;
    }

    void finish() throws IOException {
      if (writer != null) {
        writer.flush();
      }
      if (stream != null) {
        stream.flush();
      }
    }

    void finishQuietly() {
      try {
        finish();
      } catch (IOException | RuntimeException ignored) {
        // The client is gone or the stream is broken; the log already says why.
      }
    }

    @Override
    public void setStatusCode(int code) {
      status = code;
      delegate.setStatusCode(code);
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
      delegate.setStatusCode(code, message);
    }

    @Override
    public void setContentType(String contentType) {
      delegate.setContentType(contentType);
    }

    @Override
    public Optional<String> getContentType() {
      return delegate.getContentType();
    }

    @Override
    public void appendHeader(String header, String value) {
      delegate.appendHeader(header, value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return delegate.getHeaders();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      if (stream == null) {
        stream = delegate.getOutputStream();
      }
      return stream;
    }

    @Override
    public BufferedWriter getWriter() throws IOException {
      if (writer == null) {
        writer = delegate.getWriter();
      }
      return writer;
    }
  }
}
