package dev.mise.emulators.google;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One Firestore and one Pub/Sub emulator per JVM, started on first use and stopped by a shutdown
 * hook, because each costs seconds to start and a test run has two cores. When {@code
 * FIRESTORE_EMULATOR_HOST} or {@code PUBSUB_EMULATOR_HOST} is set (e.g. the local stack is up),
 * that emulator is used and nothing is started.
 *
 * <p>Tests that share an emulator keep apart by project id or by document and topic names; {@link
 * FirestoreEmulator#reset} clears a project.
 *
 * <pre>{@code
 * String host = SharedEmulators.firestore().host();
 * }</pre>
 */
public final class SharedEmulators {

  private static final Object FIRESTORE_LOCK = new Object();
  private static final Object PUBSUB_LOCK = new Object();
  private static FirestoreEmulator firestore;
  private static PubSubEmulator pubsub;

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SharedEmulators::stopAll, "mise-emulators-shutdown"));
  }

  private SharedEmulators() {}

  /** The JVM's Firestore emulator. */
  public static FirestoreEmulator firestore() {
    synchronized (FIRESTORE_LOCK) {
      if (firestore == null) {
        String host = System.getenv(FirestoreEmulator.HOST_VARIABLE);
        firestore =
            host == null || host.isBlank()
                ? FirestoreEmulator.start()
                : FirestoreEmulator.attach(host.trim());
      }
      return firestore;
    }
  }

  /** The JVM's Pub/Sub emulator. */
  public static PubSubEmulator pubsub() {
    synchronized (PUBSUB_LOCK) {
      if (pubsub == null) {
        String host = System.getenv(PubSubEmulator.HOST_VARIABLE);
        pubsub =
            host == null || host.isBlank()
                ? PubSubEmulator.start()
                : PubSubEmulator.attach(host.trim());
      }
      return pubsub;
    }
  }

  /** Starts both at once, for tests that need both (the JVMs warm up in parallel). */
  public static void startBoth() {
    CompletableFuture<?> pubsubReady = CompletableFuture.runAsync(SharedEmulators::pubsub);
    firestore();
    try {
      pubsubReady.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static void stopAll() {
    synchronized (FIRESTORE_LOCK) {
      if (firestore != null) {
        firestore.close();
      }
    }
    synchronized (PUBSUB_LOCK) {
      if (pubsub != null) {
        pubsub.close();
      }
    }
  }
}
