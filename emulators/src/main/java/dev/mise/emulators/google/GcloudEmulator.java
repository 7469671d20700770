package dev.mise.emulators.google;

/**
 * What the launchers of gcloud's emulators share: the {@code 127.0.0.1:PORT} host clients reach,
 * and the child process when the launcher started one. An emulator somebody else runs (attached to
 * from its {@code *_EMULATOR_HOST} variable) has no process here and is never stopped.
 */
public abstract sealed class GcloudEmulator implements AutoCloseable
    permits FirestoreEmulator, PubSubEmulator {

  private final String name;
  private final String host;
  private final LocalProcess process;

  GcloudEmulator(String name, String host, LocalProcess process) {
    this.name = name;
    this.host = host;
    this.process = process;
  }

  /** The emulator's process, or null when attached to one somebody else runs. */
  public LocalProcess process() {
    return process;
  }

  /** {@code 127.0.0.1:PORT}, the value for the emulator's {@code *_EMULATOR_HOST} variable. */
  public String host() {
    return host;
  }

  /** Stops the emulator (and its process tree) if this launcher started it. */
  @Override
  public void close() {
    if (process != null) {
      process.stop();
    }
  }

  @Override
  public String toString() {
    return name + " at " + host + (process == null ? " (attached)" : " " + process);
  }
}
