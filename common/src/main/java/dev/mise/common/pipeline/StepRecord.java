package dev.mise.common.pipeline;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a step's record in its job ({@code steps.<name>}) and how the runner reads them:
 * {@code state}, the lease ({@code leaseOwner}, {@code leaseExpiry}, {@code attempt}), {@code
 * busyDeliveries} (busy answers to triggers that do not number their deliveries), the memoized
 * output, and the error of a failed step.
 */
final class StepRecord {
  static final String STATE = "state";
  static final String RUNNING = "running";
  static final String RETRYING = "retrying";
  static final String DONE = "done";
  static final String FAILED = "failed";
  static final String LEASE_OWNER = "leaseOwner";
  static final String LEASE_EXPIRY = "leaseExpiry";
  static final String ATTEMPT = "attempt";
  static final String BUSY_DELIVERIES = "busyDeliveries";

  private StepRecord() {}

  /** Leases taken so far: the fencing token of the latest. */
  static long attempt(Map<String, Object> record) {
    return record.get(ATTEMPT) instanceof Number n ? n.longValue() : 0;
  }

  static long busyDeliveries(Map<String, Object> record) {
    return record.get(BUSY_DELIVERIES) instanceof Number n ? n.longValue() : 0;
  }

  static boolean done(Map<String, Object> record) {
    return DONE.equals(record.get(STATE));
  }

  /** The expiry of the step's lease while a delivery holds it, else null. */
  static Instant liveLease(Map<String, Object> record, Instant now) {
    return RUNNING.equals(record.get(STATE))
            && record.get(LEASE_EXPIRY) instanceof Instant expiry
            && expiry.isAfter(now)
        ? expiry
        : null;
  }

  /** The merge that fails a job at {@code step}: the job's status and error, the step's too. */
  static Map<String, Object> failure(String step, String code, String message, Instant now) {
    Map<String, Object> error = Map.of("code", code, "message", message);
    Map<String, Object> fields = new HashMap<>();
    fields.put(JobDocument.STATUS, JobStatus.FAILED.value());
    fields.put(JobDocument.ERROR, error);
    fields.put(JobDocument.UPDATED_AT, now);
    fields.put(JobDocument.stepField(step, STATE), FAILED);
    fields.put(JobDocument.stepField(step, "finishedAt"), now);
    fields.put(JobDocument.stepField(step, "error"), error);
    return fields;
  }
}
