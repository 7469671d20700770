package dev.mise.ocr;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.mise.common.http.HttpEndpoint;
import dev.mise.common.http.JsonBody;
import dev.mise.common.http.ProblemException;
import dev.mise.common.http.RequestContext;
import dev.mise.common.pipeline.StepCall;
import dev.mise.common.pipeline.StepResponses;
import dev.mise.common.tasks.TaskHeaders;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The recipe-cleanup step, a Cloud Tasks target: accepts only the tasks' OIDC token, runs the
 * cleanup step for the job in the body ({@code {"jobId": "..."}}) and answers 200 when the delivery
 * is handled (done, failed for good, already done) or 503 for the queue to retry. The queue's
 * attempt count ({@code X-CloudTasks-TaskRetryCount}) against {@code OCR_CLEANUP_MAX_ATTEMPTS}
 * tells the last attempt, which fails the job rather than vanish.
 */
public final class RecipeCleanup implements HttpFunction {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  /** The task's body. */
  record CleanupTask(String jobId) {
    CleanupTask {
      if (!JOB_ID.matcher(jobId).matches()) {
        throw new IllegalArgumentException("jobId is not a job id");
      }
    }
  }

  private final OcrServices services;
  private final HttpEndpoint endpoint;
  private final Lazy<CleanupStep> step;

  public RecipeCleanup() {
    this(OcrServices.runtime());
  }

  RecipeCleanup(OcrServices services) {
    this.services = services;
    this.endpoint = new HttpEndpoint("ocr-cleanup", services.env, this::handle);
    this.step = Lazy.of(services::cleanupStep);
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
    services.internal().authenticate(request);
    int attempt = TaskHeaders.from(request.getHeaders()).map(TaskHeaders::attempt).orElse(0);
    CleanupTask task = JsonBody.read(request, CleanupTask.class, 4096);
    StepCall call =
        new StepCall(
            OcrJob.COLLECTION,
            task.jobId(),
            attempt,
            services.settings.cleanupMaxAttempts(),
            context.log());
    StepResponses.write(services.runner().run(call, step.get()), response);
  }
}
