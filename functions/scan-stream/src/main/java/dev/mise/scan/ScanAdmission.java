package dev.mise.scan;

import dev.mise.common.logging.Log;
import dev.mise.scan.cache.ScanCache;
import dev.mise.scan.limits.ScanLimits;
import dev.mise.scan.request.ScanRequest;
import dev.mise.scan.session.SessionStore;
import dev.mise.scan.session.StoredSession;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Everything before a scan's stream starts, so that any refusal is a plain problem answer: the
 * request is read and validated while the user's limits are checked (the two take about as long, so
 * they overlap), then the exact cache is looked up. A complete earlier result is served free: it
 * does not count against the limits, even for a user who has reached them. {@link #settle} gives
 * the slot back when the scan ends.
 */
public final class ScanAdmission {

  /** Reads and validates the request; may refuse it. */
  @FunctionalInterface
  public interface RequestReader {
    ScanRequest read() throws IOException;
  }

  /**
   * An admitted scan.
   *
   * @param requestId the request's id, the {@code instance} of any problem
   * @param exactSource an earlier session with the same photo and filters, if any
   * @param free true for a complete cache hit, which undoes its acquisition instead of releasing it
   * @param lease the acquisition (a free hit does not wait for it before streaming)
   */
  public record Plan(
      String requestId,
      String sessionId,
      String uid,
      ScanRequest request,
      String filterKey,
      String requestKey,
      Optional<StoredSession> exactSource,
      boolean free,
      Future<?> lease,
      long startNanos) {}

  private final ScanLimits limits;
  private final ScanCache cache;
  private final SessionStore sessions;
  private final ExecutorService work;

  public ScanAdmission(
      ScanLimits limits, ScanCache cache, SessionStore sessions, ExecutorService work) {
    this.limits = limits;
    this.cache = cache;
    this.sessions = sessions;
    this.work = work;
  }

  /** Admits the scan, or throws the problem (bad input, 429) that refuses it. */
  public Plan admit(
      String requestId, String sessionId, String uid, RequestReader reader, long startNanos)
      throws IOException {
    Future<?> lease = work.submit(() -> limits.acquire(uid, sessionId));
    ScanRequest request;
    String filterKey;
    String requestKey;
    Optional<StoredSession> exact;
    try {
      request = reader.read();
      filterKey = ScanCache.filterKey(request.targetLanguage(), request.dietary());
      requestKey = ScanCache.requestKey(ScanCache.sha256(request.image()), filterKey);
      exact = cache.exact(requestKey).flatMap(sessions::load).filter(s -> s.menu().isPresent());
    } catch (IOException | RuntimeException e) {
      if (granted(lease, false)) {
        limits.forgive(uid, sessionId); // refused before anything ran: it does not count
      }
      throw e;
    }
    boolean free = exact.map(ScanAdmission::allPicturesReady).orElse(false);
    if (!free) {
      granted(lease, true); // throws the refusal
    }
    return new Plan(
        requestId, sessionId, uid, request, filterKey, requestKey, exact, free, lease, startNanos);
  }

  /** Gives the scan's slot back (a free hit: undoes it). Never throws. */
  public void settle(Plan plan, Log log) {
    try {
      if (!plan.free()) {
        limits.release(plan.uid(), plan.sessionId());
      } else if (granted(plan.lease(), false)) {
        limits.forgive(plan.uid(), plan.sessionId());
      }
    } catch (RuntimeException e) {
      log.warn("could not give back the scan's slot (its lease expires): " + e);
    }
  }

  /** Whether the acquisition succeeded; its refusal is thrown only when {@code refusalCounts}. */
  private static boolean granted(Future<?> lease, boolean refusalCounts) {
    try {
      lease.get();
      return true;
    } catch (ExecutionException e) {
      if (refusalCounts && e.getCause() instanceof RuntimeException refusal) {
        throw refusal;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean allPicturesReady(StoredSession session) {
    return session
        .menu()
        .map(m -> m.recommended().stream().allMatch(d -> session.readyImage(d.id()).isPresent()))
        .orElse(false);
  }
}
