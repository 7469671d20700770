package dev.mise.ocr;

import dev.mise.common.auth.InternalAuth;
import dev.mise.common.auth.UserAuth;
import dev.mise.common.blobs.BlobStore;
import dev.mise.common.blobs.BlobStores;
import dev.mise.common.config.Env;
import dev.mise.common.events.EventBus;
import dev.mise.common.events.PubSubEventBus;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.common.jobs.JobStore;
import dev.mise.common.models.GeminiModels;
import dev.mise.common.models.Models;
import dev.mise.common.pipeline.NextStep;
import dev.mise.common.pipeline.SeenEvents;
import dev.mise.common.pipeline.StepRunner;
import dev.mise.common.tasks.CloudTasksQueue;
import dev.mise.common.tasks.TaskQueue;
import dev.mise.common.tasks.TaskRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The collaborators of the OCR functions, each made on first use and kept for the instance's life
 * (a function instance only makes the clients it uses). Tests hand in fakes through {@link
 * Builder}.
 */
final class OcrServices {
  final Env env;
  final OcrSettings settings;
  final Clock clock;
  private final Lazy<JobStore> jobs;
  private final Lazy<BlobStore> blobs;
  private final Lazy<EventBus> bus;
  private final Lazy<TaskQueue> tasks;
  private final Lazy<Models> models;
  private final Lazy<UserAuth> users;
  private final Lazy<InternalAuth> internal;
  private final Lazy<ScheduledExecutorService> heartbeats;

  private OcrServices(Builder b) {
    this.env = b.env;
    this.settings = b.settings;
    this.clock = b.clock;
    this.jobs = b.jobs;
    this.blobs = b.blobs;
    this.bus = b.bus;
    this.tasks = b.tasks;
    this.models = b.models;
    this.users = b.users;
    this.internal = b.internal;
    this.heartbeats = b.heartbeats;
  }

  /** The runtime's services, configured by the process environment. */
  static OcrServices runtime() {
    Env env = Env.system();
    return new Builder(env, OcrSettings.from(env), Clock.systemUTC())
        .jobs(Lazy.of(() -> new FirestoreJobStore(env)))
        .blobs(Lazy.of(() -> BlobStores.fromEnv(env)))
        .bus(Lazy.of(() -> new PubSubEventBus(env)))
        .tasks(Lazy.of(() -> new CloudTasksQueue(env)))
        .models(Lazy.of(GeminiModels::new))
        .users(Lazy.of(() -> UserAuth.fromEnv(env)))
        .internal(Lazy.of(() -> InternalAuth.fromEnv(env)))
        .build();
  }

  JobStore jobs() {
    return jobs.get();
  }

  BlobStore blobs() {
    return blobs.get();
  }

  EventBus bus() {
    return bus.get();
  }

  TaskQueue tasks() {
    return tasks.get();
  }

  Models models() {
    return models.get();
  }

  UserAuth users() {
    return users.get();
  }

  InternalAuth internal() {
    return internal.get();
  }

  /** The scheduler of the status streams' heartbeats: one thread for all streams. */
  ScheduledExecutorService heartbeats() {
    return heartbeats.get();
  }

  StepRunner runner() {
    // The queue is reached through the lazy holder: a runner that never chains (the upload's
    // synchronous fallback) never creates a Cloud Tasks client.
    return new StepRunner(
        jobs(),
        blobs(),
        task -> tasks.get().enqueue(task),
        clock,
        StepRunner.Settings.defaults().withLease(settings.lease()));
  }

  /**
   * The CloudEvents the OCR event functions have handled; kept two days, beyond Eventarc's 24 h
   * retention of an undelivered event.
   */
  SeenEvents seenEvents() {
    return new SeenEvents(jobs(), "ocrEventsSeen", Duration.ofDays(2), clock);
  }

  PageReader pageReader() {
    return new PageReader(models(), settings.model(), settings.modelTimeout());
  }

  RecipeExtractor extractor() {
    return new RecipeExtractor(models(), settings.model(), settings.modelTimeout());
  }

  /** The OCR step chaining the cleanup task (the worker's). */
  OcrStep chainedOcrStep() {
    if (settings.cleanupUrl() == null) {
      throw new dev.mise.common.config.ConfigException(
          "OCR_CLEANUP_URL", "is required but not set");
    }
    Function<String, Optional<NextStep>> cleanup =
        jobId -> {
          TaskRequest task =
              TaskRequest.postJson(
                  settings.cleanupQueue(),
                  null,
                  settings.cleanupUrl(),
                  "{\"jobId\":\"" + jobId + "\"}");
          if (settings.tasksServiceAccount() != null) {
            task = task.withOidc(settings.tasksServiceAccount(), settings.cleanupAudience());
          }
          return Optional.of(new NextStep(OcrJob.CLEANUP_STEP, task));
        };
    return new OcrStep(blobs(), pageReader(), cleanup);
  }

  /** The OCR step without a chain, for the upload's synchronous fallback. */
  OcrStep inlineOcrStep() {
    return new OcrStep(blobs(), pageReader(), jobId -> Optional.empty());
  }

  CleanupStep cleanupStep() {
    return new CleanupStep(extractor(), clock);
  }

  /** Assembles services; every collaborator not given fails loudly when used. */
  static final class Builder {
    private final Env env;
    private final OcrSettings settings;
    private final Clock clock;
    private Lazy<JobStore> jobs = missing("JobStore");
    private Lazy<BlobStore> blobs = missing("BlobStore");
    private Lazy<EventBus> bus = missing("EventBus");
    private Lazy<TaskQueue> tasks = missing("TaskQueue");
    private Lazy<Models> models = missing("Models");
    private Lazy<UserAuth> users = missing("UserAuth");
    private Lazy<InternalAuth> internal = missing("InternalAuth");
    // Not a client: every instance may have one, tests included.
    private Lazy<ScheduledExecutorService> heartbeats =
        Lazy.of(
            () ->
                Executors.newSingleThreadScheduledExecutor(
                    runnable -> {
                      Thread thread = new Thread(runnable, "sse-heartbeats");
                      thread.setDaemon(true);
                      return thread;
                    }));

    Builder(Env env, OcrSettings settings, Clock clock) {
      this.env = env;
      this.settings = settings;
      this.clock = clock;
    }

    Builder jobs(Lazy<JobStore> value) {
      jobs = value;
      return this;
    }

    Builder blobs(Lazy<BlobStore> value) {
      blobs = value;
      return this;
    }

    Builder bus(Lazy<EventBus> value) {
      bus = value;
      return this;
    }

    Builder tasks(Lazy<TaskQueue> value) {
      tasks = value;
      return this;
    }

    Builder models(Lazy<Models> value) {
      models = value;
      return this;
    }

    Builder users(Lazy<UserAuth> value) {
      users = value;
      return this;
    }

    Builder internal(Lazy<InternalAuth> value) {
      internal = value;
      return this;
    }

    OcrServices build() {
      return new OcrServices(this);
    }

    private static <T> Lazy<T> missing(String what) {
      return Lazy.of(
          () -> {
            throw new IllegalStateException(what + " was not configured for this function");
          });
    }
  }
}
