package dev.mise.scan;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.mise.common.auth.User;
import dev.mise.common.config.Env;
import dev.mise.common.http.HttpEndpoint;
import dev.mise.common.http.Problem;
import dev.mise.common.http.ProblemException;
import dev.mise.common.http.RequestContext;
import dev.mise.common.logging.Log;
import dev.mise.common.sse.SseStream;
import dev.mise.scan.request.ScanRequestReader;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code POST /api/v1/scan/stream}: a menu photo in, a Server-Sent Events stream out ({@code
 * status}, {@code menu_data}, {@code image_update}s, {@code done}; see docs/api.md). Everything
 * that can be refused (token, body, photo, language, filters, limits) is refused before the stream
 * starts, as a problem+json 4xx.
 */
public final class ScanStream implements HttpFunction {

  private final ScanRuntime runtime;
  private final HttpEndpoint endpoint;

  /** For the runtime. */
  public ScanStream() {
    this(ScanRuntime.fromEnv(Env.system()), Env.system());
  }

  /** For tests: logs to the given log, request ids made up. */
  ScanStream(ScanRuntime runtime, Log log) {
    this.runtime = runtime;
    this.endpoint =
        new HttpEndpoint(
            null, log, () -> UUID.randomUUID().toString(), Clock.systemUTC(), this::handle);
  }

  ScanStream(ScanRuntime runtime, Env env) {
    this.runtime = runtime;
    this.endpoint = new HttpEndpoint("scan-stream", env, this::handle);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {
    endpoint.serve(request, response);
  }

  private void handle(HttpRequest request, HttpResponse response, RequestContext context)
      throws IOException {
    long start = System.nanoTime();
    if (!request.getMethod().equals("POST")) {
      throw ProblemException.methodNotAllowed("POST");
    }
    User user = runtime.users().authenticate(request);
    requireEventStream(request);
    String sessionId = UUID.randomUUID().toString().replace("-", "");
    ScanAdmission.Plan plan =
        runtime
            .admission()
            .admit(
                context.requestId(),
                sessionId,
                user.uid(),
                () -> ScanRequestReader.read(request),
                start);
    try (SseStream stream =
        SseStream.open(response, runtime.settings().stream(), runtime.heartbeats())) {
      runtime.scanner().run(plan, stream, context.log());
    } finally {
      runtime.admission().settle(plan, context.log());
    }
  }

  /** A client that says what it accepts must accept an event stream. */
  private static void requireEventStream(HttpRequest request) {
    String accept = request.getFirstHeader("Accept").orElse("").toLowerCase(Locale.ROOT);
    if (accept.isBlank()
        || accept.contains("text/event-stream")
        || accept.contains("*/*")
        || accept.contains("text/*")) {
      return;
    }
    throw new ProblemException(
        Problem.of(
            406,
            "not-acceptable",
            "Not acceptable",
            "This endpoint answers with text/event-stream; send Accept: text/event-stream."));
  }
}
