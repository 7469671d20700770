package dev.mise.common.pipeline;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields every job document has, and how new ones are made. A job is one document: {@code
 * status}, {@code owner}, {@code createdAt}/{@code updatedAt}, {@code expireAt} (the Firestore TTL
 * field, so retention needs no sweeper), {@code generation} (bumped when a job is run again, so its
 * steps' task names are new), {@code steps.<name>} (each step's lease, attempt and memoized output,
 * written by {@link StepRunner}), and on failure {@code error: {code, message}}.
 */
public final class JobDocument {
  public static final String STATUS = "status";
  public static final String OWNER = "owner";
  public static final String CREATED_AT = "createdAt";
  public static final String UPDATED_AT = "updatedAt";
  public static final String EXPIRE_AT = "expireAt";
  public static final String GENERATION = "generation";
  public static final String STEPS = "steps";
  public static final String ERROR = "error";

  private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private JobDocument() {}

  /**
   * A new job id: 20 random characters from a 32-letter alphabet (100 bits). Random, not
   * time-ordered, because Cloud Tasks and Firestore both spread load by key prefix.
   */
  public static String newId() {
    char[] id = new char[20];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }

  /** A new job's fields: queued, owned, stamped, expiring after {@code retention}. */
  public static Map<String, Object> newJob(
      String owner, Instant now, Duration retention, Map<String, Object> extra) {
    Map<String, Object> fields = new HashMap<>(extra);
    fields.put(STATUS, JobStatus.QUEUED.value());
    fields.put(OWNER, owner);
    fields.put(CREATED_AT, now);
    fields.put(UPDATED_AT, now);
    fields.put(EXPIRE_AT, now.plus(retention));
    fields.put(GENERATION, 1L);
    fields.put(STEPS, Map.of());
    return fields;
  }

  public static Optional<JobStatus> status(Map<String, Object> job) {
    return JobStatus.of(job.get(STATUS));
  }

  public static long generation(Map<String, Object> job) {
    return job.get(GENERATION) instanceof Number n ? n.longValue() : 1L;
  }

  /** One step's record inside the job, or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> step(Map<String, Object> job, String name) {
    if (job.get(STEPS) instanceof Map<?, ?> steps && steps.get(name) instanceof Map<?, ?> step) {
      return (Map<String, Object>) step;
    }
    return Map.of();
  }

  /** The dotted path of a field of a step's record, for merges. */
  static String stepField(String step, String field) {
    return STEPS + "." + step + "." + field;
  }
}
