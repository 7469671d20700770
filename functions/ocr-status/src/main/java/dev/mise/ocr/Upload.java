package dev.mise.ocr;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import dev.mise.common.auth.User;
import dev.mise.common.events.EventBusUnavailableException;
import dev.mise.common.http.HttpEndpoint;
import dev.mise.common.http.ProblemException;
import dev.mise.common.http.RequestContext;
import dev.mise.common.logging.Log;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.pipeline.JobStatus;
import dev.mise.common.pipeline.StepCall;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /api/ocr/upload}: recipe pages in, a job out. Checks the caller, reads and checks the
 * form before anything is stored, stores the pages under server-chosen names, creates the job
 * ({@code queued}), publishes it to {@code ocr-jobs} and answers {@code 202 {jobId, status,
 * statusUrl}}. With {@code Idempotency-Key} the job id is derived from the user and the key: the
 * same key and pages return the same job, the same key with other pages is a 422. When the message
 * cannot be published, the OCR runs here and now and the answer is {@code 200} with the finished
 * job and {@code "mode": "sync"}.
 */
public final class Upload implements HttpFunction {
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:\\-]{1,200}");

  private final OcrServices services;
  private final HttpEndpoint endpoint;

  public Upload() {
    this(OcrServices.runtime());
  }

  Upload(OcrServices services) {
    this.services = services;
    this.endpoint = new HttpEndpoint("ocr-upload", services.env, this::handle);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {
    endpoint.serve(request, response);
  }

  private void handle(HttpRequest request, HttpResponse response, RequestContext context)
      throws IOException {
    if (!request.getMethod().equals("POST")) {
      throw ProblemException.methodNotAllowed("POST");
    }
    User user = services.users().authenticate(request);
    Optional<String> key = request.getFirstHeader("Idempotency-Key").map(String::trim);
    if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
      throw ProblemException.badRequest(
          "Idempotency-Key must be 1 to 200 letters, digits or _ . : -");
    }
    List<UploadForm.Page> pages = UploadForm.read(request, OcrSettings.UPLOAD_LIMITS);
    String fingerprint = UploadForm.fingerprint(pages);
    String jobId = key.map(k -> OcrJob.idFor(user.uid(), k)).orElseGet(JobDocument::newId);
    Log log = context.log().with("jobId", jobId).with("uid", user.uid());

    if (key.isPresent()) {
      Optional<Map<String, Object>> existing = services.jobs().get(OcrJob.COLLECTION, jobId);
      if (existing.isPresent()) {
        replay(jobId, existing.get(), fingerprint, response, log);
        return;
      }
    }
    Instant now = services.clock.instant();
    List<Map<String, Object>> files = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      UploadForm.Page page = pages.get(i);
      String blobKey = OcrJob.pageKey(jobId, i, page.type().extension());
      services.blobs().put(blobKey, page.data(), page.type().mimeType());
      files.add(new OcrJob.StoredPage(blobKey, page.type().mimeType(), page.data().length).toMap());
    }
    Map<String, Object> extra = new HashMap<>();
    extra.put(OcrJob.FILES, files);
    extra.put(OcrJob.REQUEST_HASH, fingerprint);
    Map<String, Object> job =
        JobDocument.newJob(user.uid(), now, services.settings.retention(), extra);
    if (!services.jobs().create(OcrJob.COLLECTION, jobId, job)) {
      // The same key raced us: answer as the replay it is.
      replay(
          jobId,
          services.jobs().get(OcrJob.COLLECTION, jobId).orElseThrow(),
          fingerprint,
          response,
          log);
      return;
    }
    log.info(
        "job created",
        "pages",
        pages.size(),
        "bytes",
        pages.stream().mapToLong(p -> p.data().length).sum());
    try {
      publish(jobId);
    } catch (EventBusUnavailableException e) {
      log.warn("publishing failed, running the OCR synchronously: " + e.getMessage());
      runSynchronously(jobId, log);
      Map<String, Object> finished = services.jobs().get(OcrJob.COLLECTION, jobId).orElseThrow();
      JsonObject view = JobView.of(jobId, finished);
      view.addProperty("mode", "sync");
      write(response, 200, view, jobId);
      return;
    }
    write(response, 202, accepted(jobId, JobStatus.QUEUED.value()), jobId);
  }

  private void replay(
      String jobId, Map<String, Object> job, String fingerprint, HttpResponse response, Log log)
      throws IOException {
    if (!fingerprint.equals(job.get(OcrJob.REQUEST_HASH))) {
      throw ProblemException.unprocessable(
          "idempotency-key-reused",
          "Idempotency key reused",
          "This Idempotency-Key was used for other pages; use a new key for a new upload.");
    }
    String status = String.valueOf(job.get(JobDocument.STATUS));
    if (JobStatus.QUEUED.value().equals(status)) {
      // The first request may have died before publishing; a second message is harmless (the
      // worker reuses a finished step), a lost one would leave the job queued forever.
      try {
        publish(jobId);
      } catch (EventBusUnavailableException e) {
        log.warn("republishing a queued job failed: " + e.getMessage());
      }
    }
    log.info("idempotent replay", "status", status);
    response.appendHeader("Idempotent-Replayed", "true");
    write(response, 202, accepted(jobId, status), jobId);
  }

  private void publish(String jobId) {
    JsonObject message = new JsonObject();
    message.addProperty("jobId", jobId);
    services
        .bus()
        .publish(
            services.settings.topic(),
            message.toString().getBytes(StandardCharsets.UTF_8),
            Map.of("jobId", jobId));
  }

  /** Both steps through the same runner, in this request: one attempt each, no queue. */
  private void runSynchronously(String jobId, Log log) {
    var runner = services.runner();
    var ocr =
        runner.run(new StepCall(OcrJob.COLLECTION, jobId, 1, 1, log), services.inlineOcrStep());
    if (ocr instanceof dev.mise.common.pipeline.StepOutcome.Done) {
      runner.run(new StepCall(OcrJob.COLLECTION, jobId, 1, 1, log), services.cleanupStep());
    }
  }

  private static JsonObject accepted(String jobId, String status) {
    JsonObject body = new JsonObject();
    body.addProperty("jobId", jobId);
    body.addProperty("status", status);
    body.addProperty("statusUrl", Status.PATH + jobId);
    return body;
  }

  private static void write(HttpResponse response, int status, JsonObject body, String jobId)
      throws IOException {
    response.setStatusCode(status);
    response.setContentType("application/json");
    response.appendHeader("Location", Status.PATH + jobId);
    response.appendHeader("Cache-Control", "no-store");
    try (OutputStream out = response.getOutputStream()) {
      out.write(body.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
