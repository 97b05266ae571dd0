package dev.kiln.worker.buildkit;

/**
 * Where a BuildKit daemon listens. Only TCP is supported: kiln reaches its daemons over the
 * network, never through a local unix socket.
 */
public record BuildKitAddress(String host, int port) {
  private static final String TCP = "tcp://";

  public BuildKitAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("a BuildKit address needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("a BuildKit port must be 1-65535, got " + port);
    }
  }

  /** Parses {@code tcp://host:port} (the form buildkitd's --addr and buildctl take). */
  public static BuildKitAddress parse(String address) {
    String rest = address == null ? "" : address.trim();
    if (!rest.startsWith(TCP)) {
      throw new IllegalArgumentException(
          "tried to parse the BuildKit address '"
              + address
              + "' but it does not start with tcp://; set KILN_BUILDKIT_ADDR to tcp://host:port");
    }
    rest = rest.substring(TCP.length());
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1) {
      throw new IllegalArgumentException(
          "tried to parse the BuildKit address '"
              + address
              + "' but it has no port; set KILN_BUILDKIT_ADDR to tcp://host:port");
    }
    String host = rest.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new BuildKitAddress(host, Integer.parseInt(rest.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "tried to parse the BuildKit address '"
              + address
              + "' but its port is not a number; set KILN_BUILDKIT_ADDR to tcp://host:port",
          e);
    }
  }

  /** The target string grpc-java's channel builders take. */
  public String grpcTarget() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public String toString() {
    return TCP + grpcTarget();
  }
}
