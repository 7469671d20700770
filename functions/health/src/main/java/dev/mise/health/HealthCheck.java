package dev.mise.health;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import dev.mise.common.config.Env;
import dev.mise.common.http.Problem;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;

/**
 * {@code GET /api/health}: answers {@code {"status":"ok","service":...,"time":...}} when the
 * function runs. {@code HEAD} answers the same status without a body, as HTTP wants for any {@code
 * GET} resource; other methods get a 405 problem with {@code Allow}.
 */
public final class HealthCheck implements HttpFunction {

  private static final String ALLOW = "GET, HEAD";

  private final String service;
  private final Clock clock;

  /** For the runtime: the service name from {@code K_SERVICE}, which Cloud Run sets. */
  public HealthCheck() {
    this(Env.system().get("K_SERVICE", "health"), Clock.systemUTC());
  }

  public HealthCheck(String service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    response.appendHeader("Cache-Control", "no-store");
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      Problem problem =
          Problem.of(405, "method-not-allowed", "Method not allowed", method + " is not " + ALLOW)
              .withInstance(request.getFirstHeader("X-Request-Id").orElse(null));
      response.setStatusCode(405);
      response.appendHeader("Allow", ALLOW);
      response.setContentType(Problem.MEDIA_TYPE);
      try (Writer writer = response.getWriter()) {
        writer.write(problem.toJson().toString());
      }
      return;
    }
    response.setStatusCode(200);
    response.setContentType("application/json; charset=utf-8");
    if (method.equals("HEAD")) {
      return;
    }
    JsonObject body = new JsonObject();
    body.addProperty("status", "ok");
    body.addProperty("service", service);
    body.addProperty("time", clock.instant().toString());
    try (Writer writer = response.getWriter()) {
      writer.write(body.toString());
    }
  }
}
