package dev.kiln.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the servers started by {@code scripts/stack.sh up} listen, for tests that need the real
 * PostgreSQL, registry and BuildKit. Each value comes from {@code KILN_TEST_<NAME>}, else the
 * service variable {@code KILN_<NAME>} (as printed by {@code scripts/stack.sh env}), else the stack
 * script's default address.
 *
 * @param dbUrl JDBC URL of the kiln database
 * @param dbUser database user
 * @param dbPassword database password
 * @param registry {@code host:port} of the OCI registry (plain HTTP)
 * @param buildkitAddr BuildKit's gRPC address, {@code tcp://host:port}
 * @param kafkaBootstrap the dev Kafka broker; tests normally start an {@link EmbeddedKafka}
 */
public record StackEndpoints(
    String dbUrl,
    String dbUser,
    String dbPassword,
    String registry,
    String buildkitAddr,
    String kafkaBootstrap) {

  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  /** The endpoints named by this process's environment. */
  public static StackEndpoints fromEnvironment() {
    return from(System.getenv());
  }

  /** The endpoints named by {@code env}, falling back to the stack script's defaults. */
  public static StackEndpoints from(Map<String, String> env) {
    Function<String, String> lookup = name -> lookup(env, name);
    return new StackEndpoints(
        orDefault(lookup.apply("DB_URL"), "jdbc:postgresql://127.0.0.1:55432/kiln"),
        orDefault(lookup.apply("DB_USER"), "kiln"),
        orDefault(lookup.apply("DB_PASSWORD"), "kiln"),
        orDefault(lookup.apply("REGISTRY"), "127.0.0.1:5100"),
        orDefault(lookup.apply("BUILDKIT_ADDR"), "tcp://127.0.0.1:11234"),
        orDefault(lookup.apply("KAFKA_BOOTSTRAP"), "127.0.0.1:19092"));
  }

  /** The stack's base image: a static busybox, so samples can RUN shell commands offline. */
  public String baseImage() {
    return registry + "/library/busybox:latest";
  }

  /**
   * Checks that PostgreSQL, the registry and BuildKit accept TCP connections.
   *
   * @return this, for chaining
   * @throws IllegalStateException naming every part that did not answer and how to start it
   */
  public StackEndpoints requireReachable() {
    List<String> unreachable = new ArrayList<>();
    check("PostgreSQL", "DB_URL", hostPort(URI.create(dbUrl.substring("jdbc:".length()))))
        .ifPresent(unreachable::add);
    check("registry", "REGISTRY", hostPort(URI.create("http://" + registry)))
        .ifPresent(unreachable::add);
    check("BuildKit", "BUILDKIT_ADDR", hostPort(URI.create(buildkitAddr)))
        .ifPresent(unreachable::add);
    if (!unreachable.isEmpty()) {
      throw new IllegalStateException(
          "tried to reach the kiln test stack but "
              + String.join("; ", unreachable)
              + ". Start it with 'scripts/stack.sh install && scripts/stack.sh up' (or"
              + " 'scripts/test.sh', which does both), or point KILN_TEST_<NAME> at running"
              + " servers");
    }
    return this;
  }

  private static Optional<String> check(String part, String variable, InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(
          part
              + " at "
              + address.getHostString()
              + ":"
              + address.getPort()
              + " (KILN_TEST_"
              + variable
              + ") did not answer: "
              + e.getMessage());
    }
  }

  private static InetSocketAddress hostPort(URI uri) {
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException(
          "tried to read host and port from '"
              + uri
              + "' but it has none; set it as scheme://host:port");
    }
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  private static String lookup(Map<String, String> env, String name) {
    String testValue = env.get("KILN_TEST_" + name);
    if (testValue != null && !testValue.isBlank()) {
      return testValue;
    }
    return env.get("KILN_" + name);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
