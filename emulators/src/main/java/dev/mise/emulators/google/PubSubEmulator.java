package dev.mise.emulators.google;

import java.util.List;

/**
 * gcloud's Pub/Sub emulator as a child process on a free 127.0.0.1 port, or an emulator that is
 * already running ({@link #attach}). Clients reach it through {@code PUBSUB_EMULATOR_HOST=} {@link
 * #host()} with a plaintext channel and no credentials. It serves every project id.
 *
 * <p>What it does and does not do (0.8.20, measured): it keeps a subscription's dead-letter policy
 * and counts {@code deliveryAttempt}, but after the last attempt it drops the message instead of
 * publishing it to the dead-letter topic; the Eventarc stand-in does that part.
 */
public final class PubSubEmulator extends GcloudEmulator {

  public static final String HOST_VARIABLE = "PUBSUB_EMULATOR_HOST";

  private PubSubEmulator(String host, LocalProcess process) {
    super("Pub/Sub emulator", host, process);
  }

  /** Starts an emulator on a free port and returns once it answers. */
  public static PubSubEmulator start() {
    return start(LocalProcess.freePort());
  }

  /** Starts an emulator on the given 127.0.0.1 port and returns once it answers. */
  public static PubSubEmulator start(int port) {
    return start(port, null);
  }

  /**
   * Starts an emulator on the given 127.0.0.1 port, appending its output to {@code log} (a temp
   * file when null), and returns once it answers.
   */
  public static PubSubEmulator start(int port, java.nio.file.Path log) {
    LocalProcess process =
        EmulatorLaunch.start(
            "pubsub-emulator",
            port,
            log,
            CloudSdk.pubsubJar()
                .map(jar -> List.of("-jar", jar.toString(), "--host=127.0.0.1", "--port=" + port)),
            List.of("beta", "emulators", "pubsub", "start", "--host-port=127.0.0.1:" + port),
            "No Pub/Sub emulator: install gcloud with its pubsub-emulator component, or set "
                + HOST_VARIABLE
                + " to a running one");
    return new PubSubEmulator(EmulatorLaunch.host(port), process);
  }

  /** An emulator someone else runs (e.g. from {@code PUBSUB_EMULATOR_HOST}); never stopped. */
  public static PubSubEmulator attach(String host) {
    return new PubSubEmulator(host, null);
  }
}
