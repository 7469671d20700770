package dev.mise.scan;

import com.google.gson.JsonObject;
import dev.mise.common.http.Problem;
import dev.mise.common.http.ProblemException;
import dev.mise.common.logging.Log;
import dev.mise.common.models.ModelException;
import dev.mise.common.sse.SseEvent;
import dev.mise.common.sse.SseStream;
import dev.mise.scan.cache.MenuFingerprint;
import dev.mise.scan.cache.ScanCache;
import dev.mise.scan.images.DishPictures;
import dev.mise.scan.limits.ScanLimits;
import dev.mise.scan.menu.Dietary;
import dev.mise.scan.menu.Menu;
import dev.mise.scan.menu.MenuItem;
import dev.mise.scan.menu.MenuPrompt;
import dev.mise.scan.menu.MenuReader;
import dev.mise.scan.request.ScanRequest;
import dev.mise.scan.session.ImageState;
import dev.mise.scan.session.ScanEventData;
import dev.mise.scan.session.ScanSession;
import dev.mise.scan.session.SessionStore;
import dev.mise.scan.session.StoredSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one scan on the request's thread and streams it: {@code status} at once; an earlier scan's
 * result when the cache has one, else the vision call (with the near-duplicate lookup running
 * beside it, so a miss costs no latency); {@code menu_data}; the recommended dishes' pictures
 * generated in parallel and streamed in the order they finish; {@code done}. A failure after the
 * stream started becomes an {@code error} event with a problem document.
 *
 * <p>A client that leaves does not stop paid-for work: a vision call in flight is finished and its
 * menu stored, pictures in flight are finished and stored, all before the request ends (Cloud
 * Functions gives an instance CPU only while a request is open). What it does stop is new work: the
 * pictures are not started for a client that has gone, and the session stays {@code interrupted}
 * until a resume (or a cache hit) picks up the menu.
 */
public final class Scanner {

  /**
   * What was decided before the stream started.
   *
   * @param requestId the request's id, the {@code instance} of any problem
   * @param exactSource an earlier session with the same photo and filters, if any
   * @param lease what to do with the user's concurrency slot when the scan ends
   * @param leaseFuture the acquisition, still running for a free cache hit (nobody waits for it)
   */
  public record Plan(
      String requestId,
      String sessionId,
      String uid,
      ScanRequest request,
      String filterKey,
      String requestKey,
      Optional<StoredSession> exactSource,
      Lease lease,
      Future<?> leaseFuture,
      long startNanos) {}

  /** The user's slot when the scan ends: give it back, or undo it (a free cache hit). */
  public enum Lease {
    RELEASE,
    FORGIVE
  }

  /** Where a reused result came from. */
  private record Source(StoredSession session, Menu menu, String kind) {}

  private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  private final MenuReader reader;
  private final DishPictures pictures;
  private final ScanCache cache;
  private final SessionStore sessions;
  private final ScanLimits limits;
  private final ScanSettings settings;
  private final ExecutorService work;
  private final Clock clock;

  public Scanner(
      MenuReader reader,
      DishPictures pictures,
      ScanCache cache,
      SessionStore sessions,
      ScanLimits limits,
      ScanSettings settings,
      ExecutorService work,
      Clock clock) {
    this.reader = reader;
    this.pictures = pictures;
    this.cache = cache;
    this.sessions = sessions;
    this.limits = limits;
    this.settings = settings;
    this.work = work;
    this.clock = clock;
  }

  /** Reads and validates the request; may refuse it. */
  @FunctionalInterface
  public interface RequestReader {
    ScanRequest read() throws IOException;
  }

  /**
   * Everything before the stream starts: reads the request while the user's limits are checked (the
   * two take about as long, so they overlap), then looks up the exact cache. A refusal (bad input,
   * 429) is a plain problem answer. A complete earlier result is replayed without counting against
   * the limits, even for a user who has reached them.
   */
  public Plan plan(
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
      if (leaseHeld(lease, false)) {
        limits.forgive(uid, sessionId); // refused before anything ran: it does not count
      }
      throw e;
    }
    boolean complete = exact.map(Scanner::allPicturesReady).orElse(false);
    // A free cache hit does not wait for the limits: it undoes the acquisition when it ends.
    if (!complete) {
      leaseHeld(lease, true); // throws the refusal
    }
    Lease after = complete ? Lease.FORGIVE : Lease.RELEASE;
    return new Plan(
        requestId, sessionId, uid, request, filterKey, requestKey, exact, after, lease, startNanos);
  }

  /**
   * Whether the lease was granted; a refusal is thrown only when {@code refusalCounts} (a free
   * cache hit is served anyway).
   */
  private static boolean leaseHeld(Future<?> lease, boolean refusalCounts) {
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

  /** Streams the scan; never throws (failures become {@code error} events). */
  public void run(Plan plan, SseStream stream, Log requestLog) {
    Log log = requestLog.with("session_id", plan.sessionId());
    ScanRequest request = plan.request();
    ScanSession session =
        ScanSession.start(
            plan.sessionId(),
            plan.uid(),
            request.targetLanguage(),
            request.dietary().stream().map(Dietary::wire).sorted().toList(),
            plan.requestKey(),
            sessions,
            work,
            clock,
            log);
    Tally tally = new Tally();
    Source source =
        plan.exactSource().map(s -> new Source(s, s.menu().orElseThrow(), "exact")).orElse(null);
    MenuFingerprint fingerprint = null;
    Menu menu = null;
    try {
      send(session, stream, ScanEventData.STATUS, ScanEventData.status(session.id(), "analyzing"));
      if (source == null) {
        if (stream.clientGone()) {
          fail(
              plan.requestId(),
              session,
              stream,
              ScanProblems.abandoned(),
              tally,
              "client_gone",
              log,
              null);
          return;
        }
        long visionStart = System.nanoTime();
        Future<MenuReader.Reading> vision =
            work.submit(
                () ->
                    reader.read(
                        MenuPrompt.request(
                            settings.visionModel(),
                            request.image(),
                            request.type().mimeType(),
                            request.targetLanguage(),
                            request.dietary(),
                            settings.visionTimeout()),
                        request.dietary()));
        // Beside the vision call, so that a miss costs no time.
        Future<Optional<NearMatch>> near =
            work.submit(() -> nearDuplicate(request, plan.filterKey()));
        Optional<NearMatch> match = awaitNear(near, log);
        fingerprint = match.map(NearMatch::fingerprint).orElse(null);
        Optional<StoredSession> nearSource = match.flatMap(NearMatch::session);
        if (nearSource.isPresent()) {
          // The speculative vision call is left to finish on its own; its answer is not needed.
          tally.modelCalls++;
          source = new Source(nearSource.get(), nearSource.get().menu().orElseThrow(), "near");
        } else {
          MenuReader.Reading reading = awaitProbing(vision, stream);
          tally.modelCalls += reading.calls();
          tally.vlmMillis = millisSince(visionStart);
          menu = reading.menu();
        }
      }
      if (source != null) {
        menu = source.menu();
        tally.cache = source.kind();
        session.note("reusedFrom", source.session().id());
      }
      if (menu.items().isEmpty()) {
        throw new ProblemException(ScanProblems.noDishes());
      }
      send(
          session,
          stream,
          ScanEventData.MENU_DATA,
          ScanEventData.menuData(session.id(), menu, tally.vlmMillis));
      List<MenuItem> toDraw = new ArrayList<>();
      for (MenuItem dish : menu.recommended()) {
        Optional<ImageState> ready =
            source == null ? Optional.empty() : source.session().readyImage(dish.id());
        if (ready.isPresent()) {
          ImageState reused = ImageState.ready(dish.id(), ready.get().url(), 0);
          session.image(reused);
          send(session, stream, ScanEventData.IMAGE_UPDATE, ScanEventData.imageUpdate(reused));
          tally.imagesReady++;
        } else {
          session.image(ImageState.pending(dish.id()));
          toDraw.add(dish);
        }
      }
      if (!toDraw.isEmpty() && (stream.clientGone() || !stream.ping())) {
        // Nothing new for a client that has gone: the menu is stored for a resume or cache hit.
        tally.outcome = "interrupted";
        session.finish(ScanSession.INTERRUPTED);
        return;
      }
      if (!toDraw.isEmpty()) {
        tally.imageGenMillis = drawPictures(session, toDraw, stream, tally);
      }
      tally.cached = source != null && toDraw.isEmpty();
      send(
          session,
          stream,
          ScanEventData.DONE,
          ScanEventData.done(
              session.id(),
              tally.cached,
              tally.vlmMillis,
              tally.imageGenMillis,
              millisSince(plan.startNanos())));
      session.finish(ScanSession.DONE);
      tally.outcome = "done";
    } catch (ModelException e) {
      fail(
          plan.requestId(),
          session,
          stream,
          ScanProblems.visionFailed(e),
          tally,
          e.kind().name().toLowerCase(java.util.Locale.ROOT),
          log,
          e);
    } catch (MenuReader.Unreadable e) {
      tally.modelCalls += 2;
      log.warn("model answer invalid after repair", "errors", e.errors().toString());
      fail(
          plan.requestId(), session, stream, e.problem(), tally, "model_output_invalid", log, null);
    } catch (ProblemException e) {
      fail(plan.requestId(), session, stream, e.problem(), tally, e.problem().kind(), log, null);
    } catch (RuntimeException e) {
      fail(plan.requestId(), session, stream, ScanProblems.internal(), tally, "internal", log, e);
    } finally {
      finish(plan, session, menu, source, fingerprint, tally, log);
    }
  }

  /**
   * Generates the remaining pictures of an interrupted session a resume has claimed, streaming them
   * to the resuming client, then {@code done}.
   */
  public void finishInterrupted(
      String requestId, StoredSession stored, SseStream stream, Log requestLog) {
    Log log = requestLog.with("session_id", stored.id());
    ScanSession session = ScanSession.resume(stored, sessions, work, clock, log);
    Tally tally = new Tally();
    tally.cache = "resume";
    Menu menu = stored.menu().orElseThrow();
    try {
      List<MenuItem> toDraw = new ArrayList<>();
      for (MenuItem dish : menu.recommended()) {
        if (stored.readyImage(dish.id()).isEmpty()) {
          toDraw.add(dish);
        }
      }
      tally.imageGenMillis = drawPictures(session, toDraw, stream, tally);
      long vlm =
          stored
              .lastData(ScanEventData.MENU_DATA)
              .map(d -> d.getAsJsonObject("timings").get("vlm_ms").getAsLong())
              .orElse(0L);
      send(
          session,
          stream,
          ScanEventData.DONE,
          ScanEventData.done(
              session.id(),
              false,
              vlm,
              tally.imageGenMillis,
              Duration.between(stored.createdAt(), clock.instant()).toMillis()));
      session.finish(ScanSession.DONE);
      tally.outcome = "done";
      cache.remember(stored.requestKey(), session.id(), null, null, clock.instant());
    } catch (RuntimeException e) {
      fail(requestId, session, stream, ScanProblems.internal(), tally, "internal", log, e);
    } finally {
      session.awaitSaved(Duration.ofSeconds(10));
      logScan(log, session, tally);
    }
  }

  private long drawPictures(
      ScanSession session, List<MenuItem> dishes, SseStream stream, Tally tally) {
    long start = System.nanoTime();
    CompletionService<ImageState> done = new ExecutorCompletionService<>(work);
    List<String> waiting = new ArrayList<>();
    for (MenuItem dish : dishes) {
      done.submit(() -> drawOne(session.id(), dish));
      waiting.add(dish.id());
      tally.modelCalls++;
    }
    // Each call has its own deadline; this bound only guards against a call that ignores it.
    long deadline = System.nanoTime() + settings.imageTimeout().multipliedBy(2).toNanos();
    while (!waiting.isEmpty()) {
      ImageState state;
      try {
        Future<ImageState> next =
            done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
        state = next.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        continue; // drawOne does not throw; nothing to report for an item we cannot name
      }
      waiting.remove(state.itemId());
      record(session, stream, state, tally);
    }
    for (String itemId : waiting) {
      record(
          session,
          stream,
          ImageState.failed(itemId, "timeout", ScanProblems.imageErrorMessage("timeout")),
          tally);
    }
    return millisSince(start);
  }

  private void record(ScanSession session, SseStream stream, ImageState state, Tally tally) {
    session.image(state);
    send(session, stream, ScanEventData.IMAGE_UPDATE, ScanEventData.imageUpdate(state));
    if (state.isReady()) {
      tally.imagesReady++;
    } else {
      tally.imagesFailed++;
    }
  }

  private ImageState drawOne(String sessionId, MenuItem dish) {
    long start = System.nanoTime();
    String code;
    try {
      String url = pictures.generate(sessionId, dish);
      return ImageState.ready(dish.id(), url, millisSince(start));
    } catch (ModelException e) {
      code = ScanProblems.imageErrorCode(e);
    } catch (DishPictures.NoPicture e) {
      code = "no-image";
    } catch (DishPictures.StorageFailed e) {
      code = "storage-failed";
    } catch (RuntimeException e) {
      code = "internal";
    }
    return ImageState.failed(dish.id(), code, ScanProblems.imageErrorMessage(code));
  }

  /** A near-duplicate lookup's result: the photo's fingerprint and the matching session. */
  private record NearMatch(MenuFingerprint fingerprint, Optional<StoredSession> session) {}

  private Optional<NearMatch> nearDuplicate(ScanRequest request, String filterKey) {
    if (!request.decodable()) {
      return Optional.empty(); // WebP and HEIC: exact cache only
    }
    return MenuFingerprint.of(request.image())
        .map(
            fingerprint ->
                new NearMatch(
                    fingerprint,
                    cache
                        .nearDuplicate(fingerprint, filterKey)
                        .flatMap(sessions::load)
                        .filter(s -> s.menu().isPresent())));
  }

  private Optional<NearMatch> awaitNear(Future<Optional<NearMatch>> near, Log log) {
    try {
      return near.get(settings.nearLookupWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // The near-duplicate cache is an optimization: without it, the vision call decides.
      log.warn("near-duplicate lookup skipped: " + e, "reason", e.getClass().getSimpleName());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Waits for the vision call, writing a {@code : ping} every second meanwhile. TCP reports a
   * vanished peer only on the second write after it left, so without these a client that left
   * during a long call would look present when its menu is written, and the pictures would start.
   */
  private static <T> T awaitProbing(Future<T> future, SseStream stream) {
    while (true) {
      try {
        return future.get(PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        stream.ping();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static void send(ScanSession session, SseStream stream, String name, JsonObject data) {
    SseEvent event = session.append(name, data);
    stream.send(event); // false once the client is gone; the log keeps the event for a resume
  }

  private void fail(
      String requestId,
      ScanSession session,
      SseStream stream,
      Problem problem,
      Tally tally,
      String outcome,
      Log log,
      Throwable cause) {
    SseEvent event = session.append(ScanEventData.ERROR, problem.withInstance(requestId).toJson());
    stream.send(event);
    session.finish(ScanSession.FAILED);
    tally.outcome = "failed:" + outcome;
    if (cause != null && problem.status() >= 500 && !(cause instanceof ModelException)) {
      log.error("scan failed", cause);
    }
  }

  private void finish(
      Plan plan,
      ScanSession session,
      Menu menu,
      Source source,
      MenuFingerprint fingerprint,
      Tally tally,
      Log log) {
    try {
      String status = session.status();
      boolean usable =
          menu != null
              && !menu.items().isEmpty()
              && (ScanSession.DONE.equals(status) || ScanSession.INTERRUPTED.equals(status));
      // A replay of a complete exact hit changes nothing the cache does not already know.
      boolean replayed = tally.cached && "exact".equals(tally.cache);
      if (usable && !replayed) {
        // Only a fresh reading is fingerprinted: a reused one already is, under its own session.
        cache.remember(
            plan.requestKey(),
            session.id(),
            source == null ? fingerprint : null,
            plan.filterKey(),
            clock.instant());
      }
    } catch (RuntimeException e) {
      log.warn("could not update the scan cache: " + e);
    }
    try {
      if (plan.lease() == Lease.RELEASE) {
        limits.release(plan.uid(), plan.sessionId());
      } else if (leaseHeld(plan.leaseFuture(), false)) {
        limits.forgive(plan.uid(), plan.sessionId());
      }
    } catch (RuntimeException e) {
      log.warn("could not release the scan's slot (its lease expires): " + e);
    }
    if (!session.awaitSaved(Duration.ofSeconds(10))) {
      log.warn("scan session not saved in time");
    }
    tally.totalMillis = millisSince(plan.startNanos());
    logScan(log, session, tally);
  }

  private static void logScan(Log log, ScanSession session, Tally tally) {
    log.info(
        "scan " + tally.outcome,
        "session_id",
        session.id(),
        "outcome",
        tally.outcome,
        "cached",
        tally.cached,
        "cache",
        tally.cache,
        "vlm_ms",
        tally.vlmMillis,
        "image_gen_ms",
        tally.imageGenMillis,
        "total_ms",
        tally.totalMillis,
        "images_ready",
        tally.imagesReady,
        "images_failed",
        tally.imagesFailed,
        "model_calls",
        tally.modelCalls);
  }

  private static boolean allPicturesReady(StoredSession session) {
    return session
        .menu()
        .map(m -> m.recommended().stream().allMatch(d -> session.readyImage(d.id()).isPresent()))
        .orElse(false);
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** What one scan did, for its log line. */
  private static final class Tally {
    String outcome = "failed";
    String cache = "none";
    boolean cached;
    long vlmMillis;
    long imageGenMillis;
    long totalMillis;
    int imagesReady;
    int imagesFailed;
    int modelCalls;
  }
}
