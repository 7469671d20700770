package dev.mise.common.pipeline;

import java.util.Optional;

/**
 * One step of a pipeline: the work {@link StepRunner} runs at most once to completion per job.
 * {@link #run} may be called again after a crash or a transient failure, so it must not have
 * effects the runner does not commit (write objects under names derived from the job, not random
 * ones).
 */
public interface Step {

  /** The step's name in the job document and in task names: letters, digits, hyphens. */
  String name();

  /**
   * Does the work.
   *
   * @throws StepFailedException to fail the job at once (bad input, blocked content)
   * @throws Exception anything else counts as transient: the queue retries until its last attempt
   */
  StepResult run(StepContext context) throws Exception;

  /**
   * The step to chain after this one, given this step's output; the runner names the task {@code
   * <job>-<next step>-<generation>}. Called after the first run and again whenever the step turns
   * out to be done already, so an enqueue lost to a crash is repeated.
   */
  default Optional<NextStep> next(StepContext context, String output) {
    return Optional.empty();
  }

  /** The error code a job gets when this step runs out of attempts on this exception. */
  default String exhaustedCode(Exception cause) {
    return "retries_exhausted";
  }
}
