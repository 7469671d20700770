package dev.mise.scan;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.mise.common.auth.User;
import dev.mise.common.config.Env;
import dev.mise.common.http.HttpEndpoint;
import dev.mise.common.http.ProblemException;
import dev.mise.common.http.RequestContext;
import dev.mise.common.logging.Log;
import dev.mise.common.sse.SseReplay;
import dev.mise.common.sse.SseStream;
import dev.mise.scan.session.StoredSession;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/scan/{sessionId}/events}: resumes a scan's stream after a reconnect. With
 * {@code Last-Event-ID} (or {@code ?lastEventId=}) it replays only what the client missed, then
 * follows the scan live while it runs. Only the scan's owner sees it; anyone else gets a 404, as
 * for a scan that does not exist.
 */
public final class ScanEvents implements HttpFunction {

  private static final Pattern PATH = Pattern.compile(".*/scan/([A-Za-z0-9_-]{8,64})/events/?$");

  private final ScanRuntime runtime;
  private final HttpEndpoint endpoint;

  /** For the runtime. */
  public ScanEvents() {
    this(ScanRuntime.fromEnv(Env.system()), Env.system());
  }

  /** For tests: logs to the given log, request ids made up. */
  ScanEvents(ScanRuntime runtime, Log log) {
    this.runtime = runtime;
    this.endpoint =
        new HttpEndpoint(
            null, log, () -> UUID.randomUUID().toString(), Clock.systemUTC(), this::handle);
  }

  ScanEvents(ScanRuntime runtime, Env env) {
    this.runtime = runtime;
    this.endpoint = new HttpEndpoint("scan-events", env, this::handle);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {
    endpoint.serve(request, response);
  }

  private void handle(HttpRequest request, HttpResponse response, RequestContext context)
      throws IOException {
    if (!request.getMethod().equals("GET")) {
      throw ProblemException.methodNotAllowed("GET");
    }
    User user = runtime.users().authenticate(request);
    Matcher path = PATH.matcher(request.getPath());
    StoredSession session =
        (path.matches()
                ? runtime.sessions().load(path.group(1))
                : java.util.Optional.<StoredSession>empty())
            .filter(s -> user.uid().equals(s.uid()))
            .orElseThrow(() -> ProblemException.notFound("There is no such scan."));
    try (SseStream stream =
        SseStream.open(response, runtime.settings().stream(), runtime.heartbeats())) {
      runtime
          .follower()
          .follow(
              context.requestId(),
              session,
              SseReplay.lastEventId(request).orElse(null),
              stream,
              context.log());
    }
  }
}
