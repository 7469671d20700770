package dev.mise.scan.session;

import dev.mise.common.http.Problem;
import dev.mise.common.jobs.JobStore;
import dev.mise.common.sse.SseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Session documents in the job store ({@code scanSessions/<sessionId>}). One document per scan,
 * written by one instance at a time (the one running the scan, or the one that claimed an
 * interrupted scan on resume), each write carrying the whole state, so writes never need a
 * transaction and a reader always sees a consistent log.
 */
public final class SessionStore {

  public static final String COLLECTION = "scanSessions";

  private final JobStore store;

  public SessionStore(JobStore store) {
    this.store = store;
  }

  public void save(String sessionId, Map<String, Object> snapshot) {
    store.merge(COLLECTION, sessionId, snapshot);
  }

  public Optional<StoredSession> load(String sessionId) {
    return store.get(COLLECTION, sessionId).map(doc -> fromDocument(sessionId, doc));
  }

  /**
   * Takes over an interrupted session so that this instance generates its remaining pictures; false
   * when it is not (or no longer) interrupted, e.g. because another resume claimed it first.
   */
  public boolean claimInterrupted(String sessionId, Instant now) {
    return store.transact(
        COLLECTION,
        sessionId,
        doc -> {
          if (doc.isEmpty() || !ScanSession.INTERRUPTED.equals(doc.get().get("status"))) {
            return JobStore.Change.none(false);
          }
          return JobStore.Change.write(
              Map.of("status", ScanSession.RUNNING, "updatedAt", now, "resumedAt", now), true);
        });
  }

  /**
   * Ends a running session that stopped being updated before {@code staleBefore} (its instance
   * died): an {@code error} event with the problem is added to its log and it is marked failed.
   * Nothing happens if it moved on meanwhile.
   */
  @SuppressWarnings("unchecked")
  public void failIfStale(String sessionId, Instant staleBefore, Problem problem, Instant now) {
    store.transact(
        COLLECTION,
        sessionId,
        doc -> {
          if (doc.isEmpty()
              || !ScanSession.RUNNING.equals(doc.get().get("status"))
              || !(doc.get().get("updatedAt") instanceof Instant updated)
              || !updated.isBefore(staleBefore)) {
            return JobStore.Change.none(null);
          }
          List<Object> events =
              new ArrayList<>((List<Object>) doc.get().getOrDefault("events", List.of()));
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("id", Integer.toString(events.size() + 1));
          error.put("name", ScanEventData.ERROR);
          error.put("data", SseEvent.json(null, null, problem.toJson()).data());
          events.add(error);
          Map<String, Object> change = new LinkedHashMap<>();
          change.put("events", events);
          change.put("eventCount", (long) events.size());
          change.put("status", ScanSession.FAILED);
          change.put("updatedAt", now);
          return JobStore.Change.write(change, null);
        });
  }

  @SuppressWarnings("unchecked")
  static StoredSession fromDocument(String id, Map<String, Object> doc) {
    List<SseEvent> events = new ArrayList<>();
    for (Object each : (List<Object>) doc.getOrDefault("events", List.of())) {
      Map<String, Object> event = (Map<String, Object>) each;
      events.add(
          new SseEvent(
              (String) event.get("id"), (String) event.get("name"), (String) event.get("data")));
    }
    List<ImageState> images = new ArrayList<>();
    for (Object each : (List<Object>) doc.getOrDefault("images", List.of())) {
      images.add(ImageState.fromDocument((Map<?, ?>) each));
    }
    return new StoredSession(
        id,
        (String) doc.get("uid"),
        (String) doc.get("status"),
        (String) doc.get("targetLanguage"),
        (List<String>) doc.getOrDefault("dietary", List.of()),
        (String) doc.get("requestKey"),
        (Instant) doc.get("createdAt"),
        (Instant) doc.get("updatedAt"),
        (Instant) doc.get("expireAt"),
        events,
        images);
  }
}
