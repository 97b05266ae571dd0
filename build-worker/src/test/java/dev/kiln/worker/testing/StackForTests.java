package dev.kiln.worker.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.kiln.testkit.StackEndpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The real BuildKit daemon and registry the integration tests use: those of {@code scripts/stack.sh
 * up} unless KILN_TEST_BUILDKIT_ADDR / KILN_TEST_REGISTRY point elsewhere ({@link StackEndpoints}).
 * Only these two are required: the worker needs no database.
 */
public final class StackForTests {
  private static final String MANIFEST_TYPES =
      String.join(
          ",",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  private StackForTests() {}

  public static String buildkitAddr() {
    return StackEndpoints.fromEnvironment().buildkitAddr();
  }

  /** host:port of the plain-HTTP registry the daemon pushes to. */
  public static String registry() {
    return StackEndpoints.fromEnvironment().registry();
  }

  /** Fails the test with what to run when the daemon or the registry does not answer. */
  public static void requireReachable() {
    require("BuildKit", buildkitAddr().replace("tcp://", ""));
    require("the registry", registry());
  }

  /** The digest the registry has for {@code repository:tag}, if any. */
  public static Optional<String> manifestDigest(String repository, String tag)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + registry() + "/v2/" + repository + "/manifests/" + tag))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header("Accept", MANIFEST_TYPES)
            .timeout(Duration.ofSeconds(10))
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 404) {
        return Optional.empty();
      }
      return response.headers().firstValue("Docker-Content-Digest");
    }
  }

  private static void require(String what, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
          2000);
    } catch (IOException e) {
      fail(
          what
              + " does not answer at "
              + hostPort
              + "; start the local stack with scripts/stack.sh up (or set KILN_TEST_BUILDKIT_ADDR"
              + " and KILN_TEST_REGISTRY)");
    }
  }
}
