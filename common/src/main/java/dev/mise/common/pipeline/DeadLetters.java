package dev.mise.common.pipeline;

import dev.mise.common.jobs.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The records of jobs given up on, at {@code deadLetters/<collection>-<job>-<step>-<generation>}
 * with the code, the cause and the attempt count, expiring ({@code expireAt}) after the retention.
 * One per job run: a second writer (a repeated dead letter) finds it there and leaves it.
 */
final class DeadLetters {
  private static final int MAX_CAUSE_CHARS = 500;

  private final JobStore jobs;
  private final String collection;
  private final Duration retention;

  DeadLetters(JobStore jobs, String collection, Duration retention) {
    this.jobs = jobs;
    this.collection = collection;
    this.retention = retention;
  }

  void write(
      StepCall call,
      String step,
      Map<String, Object> job,
      String code,
      String cause,
      long attempts,
      Instant now) {
    long generation = JobDocument.generation(job);
    Map<String, Object> letter = new HashMap<>();
    letter.put("collection", call.collection());
    letter.put("jobId", call.jobId());
    letter.put("step", step);
    letter.put("generation", generation);
    letter.put("code", code);
    letter.put("cause", cause);
    letter.put("attempts", attempts);
    letter.put("at", now);
    letter.put(JobDocument.EXPIRE_AT, now.plus(retention));
    jobs.create(
        collection,
        call.collection().replace('/', '_') + "-" + call.jobId() + "-" + step + "-" + generation,
        letter);
  }

  /** An exception as a cause: its class and message, cut to a size a document can hold. */
  static String describe(Exception e) {
    String text = e.getClass().getName() + ": " + e.getMessage();
    return text.length() > MAX_CAUSE_CHARS ? text.substring(0, MAX_CAUSE_CHARS) : text;
  }
}
