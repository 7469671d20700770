package dev.mise.common.pipeline;

import dev.mise.common.logging.Log;
import java.util.Objects;

/**
 * One delivery of a step: which job, which delivery this is (from {@code TaskHeaders.attempt()}, or
 * 0 when the trigger does not say, as with Pub/Sub through Eventarc) and how many the trigger
 * allows in all. The runner treats an attempt as the last when either the delivery count or its own
 * count of leases reaches {@code maxAttempts}; a trigger's last delivery takes over a live lease.
 *
 * @param collection the jobs' collection
 * @param jobId the job
 * @param deliveryAttempt this delivery's number, 1 for the first; 0 when unknown
 * @param maxAttempts the trigger's attempts in all (the queue's {@code maxAttempts}, the
 *     subscription's {@code maxDeliveryAttempts}); 0 or less for unlimited
 * @param log the request's log
 */
public record StepCall(
    String collection, String jobId, int deliveryAttempt, int maxAttempts, Log log) {

  public StepCall {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(log, "log");
  }

  /** A delivery by an event trigger that does not number its deliveries. */
  public static StepCall fromEvent(String collection, String jobId, int maxAttempts, Log log) {
    return new StepCall(collection, jobId, 0, maxAttempts, log);
  }

  /**
   * True on the trigger's last delivery: by its own number, or, for a trigger that does not number
   * its deliveries, by the step's count of those it saw ({@code stepDeliveries}: leases and busy
   * answers) plus this one. The count misses deliveries that never reached the function, so it errs
   * towards later, never earlier, for a job with one message.
   */
  boolean lastDelivery(long stepDeliveries) {
    long number = deliveryAttempt > 0 ? deliveryAttempt : stepDeliveries + 1;
    return maxAttempts > 0 && number >= maxAttempts;
  }

  boolean lastAttempt(long leaseAttempt) {
    return maxAttempts > 0 && Math.max(deliveryAttempt, leaseAttempt) >= maxAttempts;
  }
}
