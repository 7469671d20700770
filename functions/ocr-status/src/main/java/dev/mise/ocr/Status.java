package dev.mise.ocr;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import dev.mise.common.auth.User;
import dev.mise.common.http.HttpEndpoint;
import dev.mise.common.http.ProblemException;
import dev.mise.common.http.RequestContext;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.pipeline.JobStatus;
import dev.mise.common.sse.SseEvent;
import dev.mise.common.sse.SseReplay;
import dev.mise.common.sse.SseStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/ocr/status/{jobId}}: the job as its owner may see it ({@link JobView}); anyone
 * else's job and unknown ids are both 404. The JSON form carries an {@code ETag}, and a matching
 * {@code If-None-Match} is a bodiless 304, so polling costs one document read and a few bytes. With
 * {@code Accept: text/event-stream} the answer is an SSE stream that sends the job on every change
 * ({@code event: status}, the ETag as {@code id:}) and ends when the job is completed or failed; a
 * stream that reaches its time limit first just ends, and the client's reconnect (with {@code
 * Last-Event-ID}) carries on without repeating what it has seen. The stream is {@link SseStream}:
 * {@code retry:}, heartbeats while the job is idle, each event flushed as it is written.
 */
public final class Status implements HttpFunction {
  static final String PATH = "/api/ocr/status/";
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  private final OcrServices services;
  private final HttpEndpoint endpoint;

  public Status() {
    this(OcrServices.runtime());
  }

  Status(OcrServices services) {
    this.services = services;
    this.endpoint = new HttpEndpoint("ocr-status", services.env, this::handle);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {
    endpoint.serve(request, response);
  }

  private void handle(HttpRequest request, HttpResponse response, RequestContext context)
      throws Exception {
    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      throw ProblemException.methodNotAllowed("GET");
    }
    User user = services.users().authenticate(request);
    String jobId = jobIdOf(request.getPath());
    Map<String, Object> job = read(jobId, user);
    if (request.getFirstHeader("Accept").orElse("").contains("text/event-stream")) {
      stream(request, response, jobId, job);
      return;
    }
    JsonObject view = JobView.of(jobId, job);
    String etag = JobView.etag(view);
    response.appendHeader("ETag", etag);
    response.appendHeader("Cache-Control", "private, no-cache");
    if (matches(request.getFirstHeader("If-None-Match").orElse(null), etag)) {
      response.setStatusCode(304);
      return;
    }
    response.setStatusCode(200);
    response.setContentType("application/json");
    if (request.getMethod().equals("HEAD")) {
      return;
    }
    try (OutputStream out = response.getOutputStream()) {
      out.write(view.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private void stream(
      HttpRequest request, HttpResponse response, String jobId, Map<String, Object> job)
      throws IOException, InterruptedException {
    String lastSent = SseReplay.lastEventId(request).orElse("");
    Instant deadline = services.clock.instant().plus(services.settings.statusStreamMax());
    try (SseStream stream =
        SseStream.open(response, SseStream.Options.DEFAULTS, services.heartbeats())) {
      while (true) {
        JsonObject view = JobView.of(jobId, job);
        String id = JobView.etag(view).replace("\"", "");
        if (!id.equals(lastSent)) {
          if (!stream.send(SseEvent.json(id, "status", view))) {
            return; // the client went away: nothing is left to do for it
          }
          lastSent = id;
        }
        boolean terminal = JobDocument.status(job).map(JobStatus::terminal).orElse(false);
        if (terminal || !services.clock.instant().isBefore(deadline)) {
          return;
        }
        Thread.sleep(services.settings.statusPoll().toMillis());
        if (!stream.isOpen()) {
          return; // a heartbeat found the client gone while we waited
        }
        Optional<Map<String, Object>> next = services.jobs().get(OcrJob.COLLECTION, jobId);
        if (next.isEmpty()) {
          stream.sendError(id, ProblemException.notFound("The job is gone.").problem());
          return;
        }
        job = next.get();
      }
    }
  }

  private Map<String, Object> read(String jobId, User user) {
    return services
        .jobs()
        .get(OcrJob.COLLECTION, jobId)
        .filter(job -> user.uid().equals(job.get(JobDocument.OWNER)))
        .orElseThrow(() -> ProblemException.notFound("There is no such job."));
  }

  static String jobIdOf(String path) {
    int at = path.lastIndexOf('/');
    String id = at < 0 ? path : path.substring(at + 1);
    if (!JOB_ID.matcher(id).matches()) {
      throw ProblemException.notFound("There is no such job.");
    }
    return id;
  }

  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    return Arrays.stream(ifNoneMatch.split(","))
        .map(String::trim)
        .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
        .anyMatch(tag -> tag.equals(etag) || tag.equals("*"));
  }
}
