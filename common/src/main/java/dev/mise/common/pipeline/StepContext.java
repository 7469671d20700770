package dev.mise.common.pipeline;

import dev.mise.common.logging.Log;
import java.util.Map;
import java.util.Optional;

/**
 * What a running step sees: its job (the document as read when the lease was taken), its attempt
 * number (the fencing token), a log carrying the job and step, and the memoized outputs of the
 * job's earlier steps.
 */
public final class StepContext {
  private final String jobId;
  private final Map<String, Object> job;
  private final long attempt;
  private final Log log;
  private final StepOutputs outputs;

  StepContext(String jobId, Map<String, Object> job, long attempt, Log log, StepOutputs outputs) {
    this.jobId = jobId;
    this.job = Map.copyOf(job);
    this.attempt = attempt;
    this.log = log;
    this.outputs = outputs;
  }

  public String jobId() {
    return jobId;
  }

  public Map<String, Object> job() {
    return job;
  }

  public long attempt() {
    return attempt;
  }

  public Log log() {
    return log;
  }

  /** The output of an earlier step of this job, if it is done. */
  public Optional<String> outputOf(String step) {
    return outputs.read(JobDocument.step(job, step));
  }
}
