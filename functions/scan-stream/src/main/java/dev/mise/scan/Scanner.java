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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
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

  /** Where a reused result came from. */
  private record Source(StoredSession session, Menu menu, String kind) {}

  private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  private final MenuReader reader;
  private final PictureRound pictures;
  private final ScanCache cache;
  private final SessionStore sessions;
  private final ScanSettings settings;
  private final ExecutorService work;
  private final Clock clock;

  public Scanner(
      MenuReader reader,
      DishPictures pictures,
      ScanCache cache,
      SessionStore sessions,
      ScanSettings settings,
      ExecutorService work,
      Clock clock) {
    this.reader = reader;
    this.pictures = new PictureRound(pictures, work, settings.imageTimeout());
    this.cache = cache;
    this.sessions = sessions;
    this.settings = settings;
    this.work = work;
    this.clock = clock;
  }

  /** Streams the scan; never throws (failures become {@code error} events). */
  public void run(ScanAdmission.Plan plan, SseStream stream, Log requestLog) {
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
    ScanTally tally = new ScanTally();
    Source source =
        plan.exactSource().map(s -> new Source(s, s.menu().orElseThrow(), "exact")).orElse(null);
    Expiry expiry = new Expiry(clock.instant().plus(settings.retention()));
    MenuFingerprint fingerprint = null;
    Menu menu = null;
    try {
      expiry.noLaterThan(source, session);
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
        expiry.noLaterThan(source, session);
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
          tally.count(reused);
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
      finish(plan, session, menu, source, fingerprint, expiry.at, tally, log);
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
    ScanTally tally = new ScanTally();
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
      cache.remember(
          stored.requestKey(),
          session.id(),
          null,
          null,
          stored.expireAt() != null
              ? stored.expireAt()
              : clock.instant().plus(settings.retention()));
    } catch (RuntimeException e) {
      fail(requestId, session, stream, ScanProblems.internal(), tally, "internal", log, e);
    } finally {
      session.awaitSaved(Duration.ofSeconds(10));
      tally.log(log, session.id());
    }
  }

  private long drawPictures(
      ScanSession session, List<MenuItem> dishes, SseStream stream, ScanTally tally) {
    tally.modelCalls += dishes.size();
    return pictures.draw(
        session.id(),
        dishes,
        picture -> {
          session.image(picture);
          send(session, stream, ScanEventData.IMAGE_UPDATE, ScanEventData.imageUpdate(picture));
          tally.count(picture);
        });
  }

  /**
   * When a session expires: after the retention, but never after the session whose pictures it
   * reuses (the bucket deletes those with it).
   */
  private static final class Expiry {
    private Instant at;

    Expiry(Instant at) {
      this.at = at;
    }

    void noLaterThan(Source source, ScanSession session) {
      if (source != null
          && source.session().expireAt() != null
          && source.session().expireAt().isBefore(at)) {
        at = source.session().expireAt();
      }
      session.note("expireAt", at);
    }
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
      ScanTally tally,
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
      ScanAdmission.Plan plan,
      ScanSession session,
      Menu menu,
      Source source,
      MenuFingerprint fingerprint,
      Instant expireAt,
      ScanTally tally,
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
            expireAt);
      }
    } catch (RuntimeException e) {
      log.warn("could not update the scan cache: " + e);
    }
    if (!session.awaitSaved(Duration.ofSeconds(10))) {
      log.warn("scan session not saved in time");
    }
    tally.totalMillis = millisSince(plan.startNanos());
    tally.log(log, session.id());
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
