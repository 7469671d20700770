package dev.mise.scan.session;

import com.google.gson.JsonObject;
import dev.mise.common.logging.Log;
import dev.mise.common.sse.SseEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One scan's state while it runs: its event log (ids 1, 2, 3, ...), its pictures, its status. Each
 * change is saved to the session document in the background, in order, newer snapshots replacing
 * older ones not yet written; the stream itself never waits for the database. {@link #awaitSaved}
 * is called before the request ends, because Cloud Functions gives an instance CPU only while a
 * request is open.
 */
public final class ScanSession {

  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  /** The client left before the pictures were started; a resume may start them. */
  public static final String INTERRUPTED = "interrupted";

  private final String id;
  private final String uid;
  private final String targetLanguage;
  private final List<String> dietary;
  private final String requestKey;
  private final Instant createdAt;
  private final Clock clock;
  private final Writer writer;
  private final List<SseEvent> events = new ArrayList<>();
  private final Map<String, ImageState> images = new LinkedHashMap<>();
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private String status = RUNNING;

  private ScanSession(
      String id,
      String uid,
      String targetLanguage,
      List<String> dietary,
      String requestKey,
      Instant createdAt,
      Clock clock,
      Writer writer) {
    this.id = id;
    this.uid = uid;
    this.targetLanguage = targetLanguage;
    this.dietary = List.copyOf(dietary);
    this.requestKey = requestKey;
    this.createdAt = createdAt;
    this.clock = clock;
    this.writer = writer;
  }

  /** A new session; nothing is saved until its first event. */
  public static ScanSession start(
      String id,
      String uid,
      String targetLanguage,
      List<String> dietary,
      String requestKey,
      SessionStore store,
      Executor background,
      Clock clock,
      Log log) {
    return new ScanSession(
        id,
        uid,
        targetLanguage,
        dietary,
        requestKey,
        clock.instant(),
        clock,
        new Writer(id, store, background, log));
  }

  /** Continues a stored session (after claiming it): its log and pictures carry on. */
  public static ScanSession resume(
      StoredSession stored, SessionStore store, Executor background, Clock clock, Log log) {
    ScanSession session =
        new ScanSession(
            stored.id(),
            stored.uid(),
            stored.targetLanguage(),
            stored.dietary(),
            stored.requestKey(),
            stored.createdAt(),
            clock,
            new Writer(stored.id(), store, background, log));
    session.events.addAll(stored.events());
    stored.images().forEach(i -> session.images.put(i.itemId(), i));
    return session;
  }

  public String id() {
    return id;
  }

  public String uid() {
    return uid;
  }

  /** Adds an event to the log and returns it with its id. */
  public synchronized SseEvent append(String name, JsonObject data) {
    SseEvent event = SseEvent.json(Integer.toString(events.size() + 1), name, data);
    events.add(event);
    save();
    return event;
  }

  public synchronized void image(ImageState state) {
    images.put(state.itemId(), state);
  }

  public synchronized ImageState image(String itemId) {
    return images.get(itemId);
  }

  /** Records a field of the session document beyond the log (timings, cache origin, ...). */
  public synchronized void note(String field, Object value) {
    extra.put(field, value);
  }

  public synchronized void finish(String finalStatus) {
    status = finalStatus;
    save();
  }

  public synchronized String status() {
    return status;
  }

  public synchronized List<SseEvent> events() {
    return List.copyOf(events);
  }

  /** Waits until every change so far is saved, at most {@code max}; false if it is not. */
  public boolean awaitSaved(Duration max) {
    return writer.awaitIdle(max);
  }

  private void save() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("uid", uid);
    doc.put("status", status);
    doc.put("targetLanguage", targetLanguage);
    doc.put("dietary", dietary);
    doc.put("requestKey", requestKey);
    doc.put("createdAt", createdAt);
    doc.put("updatedAt", clock.instant());
    doc.put("eventCount", (long) events.size());
    List<Object> log = new ArrayList<>();
    for (SseEvent event : events) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", event.id());
      entry.put("name", event.name());
      entry.put("data", event.data());
      log.add(entry);
    }
    doc.put("events", log);
    List<Object> pictures = new ArrayList<>();
    images.values().forEach(i -> pictures.add(i.toDocument()));
    doc.put("images", pictures);
    doc.putAll(extra);
    writer.offer(doc);
  }

  /** Writes snapshots one at a time, in order, skipping any that a newer one supersedes. */
  private static final class Writer {
    private static final int ATTEMPTS = 3;

    private final String sessionId;
    private final SessionStore store;
    private final Executor background;
    private final Log log;
    private Map<String, Object> next;
    private boolean writing;

    Writer(String sessionId, SessionStore store, Executor background, Log log) {
      this.sessionId = sessionId;
      this.store = store;
      this.background = background;
      this.log = log;
    }

    synchronized void offer(Map<String, Object> snapshot) {
      next = snapshot;
      if (!writing) {
        writing = true;
        background.execute(this::drain);
      }
    }

    private void drain() {
      while (true) {
        Map<String, Object> snapshot;
        synchronized (this) {
          if (next == null) {
            writing = false;
            notifyAll();
            return;
          }
          snapshot = next;
          next = null;
        }
        write(snapshot);
      }
    }

    private void write(Map<String, Object> snapshot) {
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          store.save(sessionId, snapshot);
          return;
        } catch (RuntimeException e) {
          if (attempt == ATTEMPTS) {
            // The live stream is unaffected; only a later resume or cache hit would miss this.
            log.error("could not save scan session", e, "session_id", sessionId);
          }
        }
      }
    }

    synchronized boolean awaitIdle(Duration max) {
      long deadline = System.nanoTime() + max.toNanos();
      while (writing || next != null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }
}
