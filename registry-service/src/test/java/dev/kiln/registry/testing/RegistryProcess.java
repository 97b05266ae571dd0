package dev.kiln.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private CNCF Distribution registry (Debian's {@code docker-registry}) on a free loopback port,
 * with its own config and storage in a temporary directory that {@link #close()} removes.
 */
public final class RegistryProcess implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static final Duration STARTUP = Duration.ofSeconds(30);

  private final Process process;
  private final Path dir;
  private final int port;

  private RegistryProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  public static RegistryProcess start() throws IOException, InterruptedException {
    return start(dir -> "");
  }

  /**
   * Starts a registry whose config gets the YAML {@code extra} returns (an {@code auth:} section);
   * {@code extra} receives the registry's private directory to write htpasswd or certificate files
   * into.
   */
  public static RegistryProcess start(Extra extra) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing; install Debian's docker-registry (scripts/stack.sh install)");
    }
    Path dir = Files.createTempDirectory("kiln-registry-test-");
    int port = freePort();
    String extraYaml = extra.write(dir);
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log:
          level: warn
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        %s
        """
            .formatted(dir.resolve("storage"), port, extraYaml));
    Process process =
        new ProcessBuilder(BINARY.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    RegistryProcess registry = new RegistryProcess(process, dir, port);
    try {
      registry.awaitReady();
    } catch (RuntimeException | IOException | InterruptedException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** Writes files into the registry's directory and returns YAML for its config. */
  @FunctionalInterface
  public interface Extra {
    String write(Path dir) throws IOException;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ping =
        HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
            .version(HttpClient.Version.HTTP_1_1)
            .timeout(Duration.ofSeconds(2))
            .build();
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "docker-registry exited with " + process.exitValue() + ": " + log());
      }
      try {
        int status = http.send(ping, BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "docker-registry did not answer on " + host() + " within " + STARTUP + ": " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("registry.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(RegistryProcess::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
