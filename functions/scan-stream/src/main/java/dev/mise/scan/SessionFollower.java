package dev.mise.scan;

import dev.mise.common.logging.Log;
import dev.mise.common.sse.SseEvent;
import dev.mise.common.sse.SseReplay;
import dev.mise.common.sse.SseStream;
import dev.mise.scan.session.ScanSession;
import dev.mise.scan.session.SessionStore;
import dev.mise.scan.session.StoredSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The resume side of a scan: replays the events a reconnecting client missed (after its {@code
 * Last-Event-ID}) from the session document, then follows the scan live until it ends. The scan may
 * run on another instance, so following means reading the document every {@code resumePoll}. An
 * interrupted scan (its client left before the pictures started) is claimed and finished here; a
 * running one that stopped being updated is declared lost, in its own log, so every follower sees
 * the same end.
 */
public final class SessionFollower {

  /** Waits between reads of the session document; a seam so tests need not sleep. */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final SessionStore sessions;
  private final Scanner scanner;
  private final ScanSettings settings;
  private final Clock clock;
  private final Pause pause;

  public SessionFollower(
      SessionStore sessions, Scanner scanner, ScanSettings settings, Clock clock, Pause pause) {
    this.sessions = sessions;
    this.scanner = scanner;
    this.settings = settings;
    this.clock = clock;
    this.pause = pause;
  }

  public void follow(
      String requestId, StoredSession first, String lastEventId, SseStream stream, Log log) {
    String last = lastEventId;
    StoredSession current = first;
    Instant giveUp = clock.instant().plus(settings.resumeMaxWait());
    while (true) {
      for (SseEvent event : SseReplay.after(current.events(), last)) {
        if (!stream.send(event)) {
          return;
        }
        last = event.id();
      }
      if (current.isTerminal()) {
        return;
      }
      Instant now = clock.instant();
      if (ScanSession.INTERRUPTED.equals(current.status())) {
        if (sessions.claimInterrupted(current.id(), now)) {
          Optional<StoredSession> claimed = sessions.load(current.id());
          if (claimed.isPresent()) {
            replayAndFinish(requestId, claimed.get(), last, stream, log);
          }
          return;
        }
      } else if (current.updatedAt() != null
          && current.updatedAt().plus(settings.staleAfter()).isBefore(now)) {
        sessions.failIfStale(
            current.id(),
            now.minus(settings.staleAfter()),
            ScanProblems.sessionLost().withInstance(requestId),
            now);
      }
      // The client reconnects on its own (retry:) and continues from its last id.
      if (!now.isBefore(giveUp) || !stream.isOpen()) {
        return;
      }
      try {
        pause.sleep(settings.resumePoll());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Optional<StoredSession> next = sessions.load(current.id());
      if (next.isEmpty()) {
        return;
      }
      current = next.get();
    }
  }

  private void replayAndFinish(
      String requestId, StoredSession claimed, String last, SseStream stream, Log log) {
    for (SseEvent event : SseReplay.after(claimed.events(), last)) {
      stream.send(event);
    }
    scanner.finishInterrupted(requestId, claimed, stream, log);
  }
}
