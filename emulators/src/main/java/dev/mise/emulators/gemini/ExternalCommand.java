package dev.mise.emulators.gemini;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a local program (tesseract, espeak-ng) that may or may not be installed. */
final class ExternalCommand {

  private ExternalCommand() {}

  /**
   * Runs {@code commandLine}, feeding it {@code input}; its stdout, or null when the program is
   * missing, fails or takes over a minute.
   */
  static byte[] run(List<String> commandLine, byte[] input) {
    try {
      // stderr is discarded so a chatty program cannot fill a pipe nobody reads and stall; both
      // programs read their whole input before they write, so stdin then stdout cannot deadlock.
      Process process =
          new ProcessBuilder(commandLine).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (OutputStream stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input);
        }
      }
      byte[] out;
      try (InputStream stdout = process.getInputStream()) {
        out = stdout.readAllBytes();
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
