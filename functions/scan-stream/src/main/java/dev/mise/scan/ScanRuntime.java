package dev.mise.scan;

import dev.mise.common.auth.UserAuth;
import dev.mise.common.blobs.BlobStore;
import dev.mise.common.blobs.BlobStores;
import dev.mise.common.config.Env;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.common.jobs.JobStore;
import dev.mise.common.models.GeminiModels;
import dev.mise.common.models.GeminiSettings;
import dev.mise.common.models.Models;
import dev.mise.scan.cache.ScanCache;
import dev.mise.scan.images.DishPictures;
import dev.mise.scan.limits.ScanLimits;
import dev.mise.scan.menu.MenuReader;
import dev.mise.scan.session.SessionStore;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything a scan function instance needs, wired once per instance: the user authenticator, the
 * admission (limits, exact cache) and the scanner over the ports, the resume follower, and two
 * executors (virtual threads for model calls, pictures and session writes; one daemon thread for
 * heartbeats). The Google clients behind the ports are created on first use.
 */
public record ScanRuntime(
    UserAuth users,
    ScanAdmission admission,
    Scanner scanner,
    SessionFollower follower,
    SessionStore sessions,
    ScanSettings settings,
    ScheduledExecutorService heartbeats) {

  /** For the runtime: the Google adapters, configured from the environment. */
  public static ScanRuntime fromEnv(Env env) {
    return of(
        UserAuth.fromEnv(env),
        new FirestoreJobStore(env),
        BlobStores.fromEnv(env),
        new GeminiModels(GeminiSettings.from(env)),
        ScanSettings.from(env),
        Clock.systemUTC(),
        duration -> Thread.sleep(duration));
  }

  /** Over the given ports (fakes in tests). */
  public static ScanRuntime of(
      UserAuth users,
      JobStore store,
      BlobStore blobs,
      Models models,
      ScanSettings settings,
      Clock clock,
      SessionFollower.Pause pause) {
    ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    ScheduledExecutorService heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "sse-heartbeats");
              thread.setDaemon(true);
              return thread;
            });
    SessionStore sessions = new SessionStore(store);
    ScanCache cache = new ScanCache(store);
    ScanLimits limits =
        new ScanLimits(
            store, settings.maxConcurrentScans(), settings.dailyQuota(), settings.lease(), clock);
    Scanner scanner =
        new Scanner(
            new MenuReader(models),
            new DishPictures(models, blobs, settings.imageModel(), settings.imageTimeout()),
            cache,
            sessions,
            settings,
            work,
            clock);
    return new ScanRuntime(
        users,
        new ScanAdmission(limits, cache, sessions, work),
        scanner,
        new SessionFollower(sessions, scanner, settings, clock, pause),
        sessions,
        settings,
        heartbeats);
  }
}
