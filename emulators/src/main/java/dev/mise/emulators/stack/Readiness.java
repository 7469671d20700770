package dev.mise.emulators.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether something already listens on a local port (the stack refuses to start over it). */
final class Readiness {
  private Readiness() {}

  static boolean inUse(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
