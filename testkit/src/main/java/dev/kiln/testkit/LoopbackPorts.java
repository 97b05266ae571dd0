package dev.kiln.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1, for servers that need their port before they bind it. */
public final class LoopbackPorts {

  private LoopbackPorts() {}

  /**
   * Returns a port that was free a moment ago. Another process may take it before the caller binds
   * it, so callers retry on a bind failure.
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tried to find a free TCP port on 127.0.0.1 but binding port 0 failed; check that the"
              + " loopback interface is up",
          e);
    }
  }
}
