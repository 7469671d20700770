package dev.mise.common.pipeline;

import dev.mise.common.jobs.JobStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * CloudEvents already handled, by source and id (a redelivered Pub/Sub message keeps both), so a
 * duplicate is acknowledged without doing the work again. An event is remembered only after its
 * work succeeded: a delivery that failed must be retried, not skipped. Two copies racing each other
 * are both let through here; the step runner's lease makes the second one wait or reuse the first
 * one's result. Records expire (Firestore TTL on {@code expireAt}) after the trigger's redelivery
 * window.
 *
 * <pre>{@code
 * if (seen.contains(event.getSource().toString(), event.getId())) {
 *   return; // acknowledged: done before
 * }
 * ... do the work ...
 * seen.remember(event.getSource().toString(), event.getId());
 * }</pre>
 */
public final class SeenEvents {
  private final JobStore store;
  private final String collection;
  private final Duration retention;
  private final Clock clock;

  public SeenEvents(JobStore store, String collection, Duration retention, Clock clock) {
    this.store = store;
    this.collection = collection;
    this.retention = retention;
    this.clock = clock;
  }

  public boolean contains(String source, String eventId) {
    return store.get(collection, key(source, eventId)).isPresent();
  }

  /** Records the event as handled; false when it already was. */
  public boolean remember(String source, String eventId) {
    Instant now = clock.instant();
    return store.create(
        collection,
        key(source, eventId),
        Map.of(
            "source",
            source,
            "eventId",
            eventId,
            "at",
            now,
            JobDocument.EXPIRE_AT,
            now.plus(retention)));
  }

  /** Document ids may not hold '/', and sources are URIs: the key is a hash of both. */
  static String key(String source, String eventId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((source + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
