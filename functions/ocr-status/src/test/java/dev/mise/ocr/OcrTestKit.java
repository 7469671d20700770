package dev.mise.ocr;

import dev.mise.common.auth.InternalAuth;
import dev.mise.common.auth.LocalToken;
import dev.mise.common.auth.UserAuth;
import dev.mise.common.config.Env;
import dev.mise.common.testing.CountingJobStore;
import dev.mise.common.testing.InMemoryBlobStore;
import dev.mise.common.testing.InMemoryJobStore;
import dev.mise.common.testing.RecordingEventBus;
import dev.mise.common.testing.RecordingTaskQueue;
import dev.mise.common.testing.ScriptedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The OCR functions wired to fakes, as one local stack in memory. */
final class OcrTestKit {
  static final String PROJECT = "demo-mise";
  static final String CLEANUP_URL = "http://127.0.0.1:8113/";
  static final String TASKS_SA = "mise-invoker@demo-mise.iam.gserviceaccount.com";

  final Env env =
      new Env(
          Map.ofEntries(
              Map.entry("GOOGLE_CLOUD_PROJECT", PROJECT),
              Map.entry("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099"),
              // never Google's key servers from a test
              Map.entry("AUTH_JWKS_URL", "http://127.0.0.1:9/keys"),
              Map.entry("INTERNAL_AUTH_JWKS_URL", "http://127.0.0.1:9/keys"),
              Map.entry("CLOUD_TASKS_EMULATOR_HOST", "127.0.0.1:8123"),
              Map.entry("OCR_CLEANUP_URL", CLEANUP_URL),
              Map.entry("TASKS_SERVICE_ACCOUNT", TASKS_SA),
              Map.entry("INTERNAL_AUTH_AUDIENCE", CLEANUP_URL),
              Map.entry("INTERNAL_AUTH_SERVICE_ACCOUNT", TASKS_SA),
              Map.entry("OCR_STATUS_POLL", "1ms"),
              Map.entry("OCR_WORKER_MAX_ATTEMPTS", "3"),
              Map.entry("OCR_CLEANUP_MAX_ATTEMPTS", "3")));
  final InMemoryJobStore jobs = new InMemoryJobStore();
  final CountingJobStore counted = new CountingJobStore(jobs);
  final InMemoryBlobStore blobs = new InMemoryBlobStore("http://127.0.0.1:8090");
  final RecordingEventBus bus = new RecordingEventBus();
  final RecordingTaskQueue tasks = new RecordingTaskQueue();
  final ScriptedModels models = new ScriptedModels();
  final OcrServices services;

  OcrTestKit() {
    this(Clock.systemUTC());
  }

  OcrTestKit(Clock clock) {
    services =
        new OcrServices.Builder(env, OcrSettings.from(env), clock)
            .jobs(Lazy.ready(counted))
            .blobs(Lazy.ready(blobs))
            .bus(Lazy.ready(bus))
            .tasks(Lazy.ready(tasks))
            .models(Lazy.ready(models))
            .users(Lazy.ready(UserAuth.fromEnv(env)))
            .internal(Lazy.ready(InternalAuth.fromEnv(env)))
            .build();
  }

  static String userToken(String uid) {
    return "Bearer " + LocalToken.forUser(uid, PROJECT, Instant.now(), Duration.ofHours(1));
  }

  static String tasksToken() {
    return "Bearer "
        + LocalToken.forServiceAccount(TASKS_SA, CLEANUP_URL, Instant.now(), Duration.ofHours(1));
  }

  /** A sample page from functions/ocr-status/samples. */
  static byte[] sample(String name) {
    for (Path dir : new Path[] {Path.of("samples"), Path.of("functions/ocr-status/samples")}) {
      if (Files.exists(dir.resolve(name))) {
        try {
          return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("sample " + name + " not found");
  }
}
