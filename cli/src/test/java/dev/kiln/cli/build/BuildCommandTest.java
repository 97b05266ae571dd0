package dev.kiln.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.CliEnvironment;
import dev.kiln.cli.KilnCli;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.sse.Reconnects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln build} against an in-test gateway: hit, miss → upload → build, failures. */
class BuildCommandTest {
  @TempDir Path dir;
  private Path project;
  private FakeGateway gateway;
  private final Map<String, String> env = new HashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws IOException {
    gateway = new FakeGateway();
    project = Files.createDirectories(dir.resolve("project"));
    write("api/Dockerfile", "ARG KILN_BUILD_BASE_IMAGE=scratch\nFROM scratch\nCOPY app.txt /\n");
    write("api/app.txt", "hello\n");
    write("base/Dockerfile", "FROM scratch\n");
    write(
        "kiln.yml",
        "build:\n  api:\n    context: api\n    depends_on: [base]\n  base:\n    context: base\n");
    env.put("KILN_URL", gateway.url().toString());
    env.put("KILN_TOKEN", FakeGateway.TOKEN);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void skipsWithoutUploadingWhenTheCacheHasTheImage() {
    gateway.cached.add("base");

    int code = kiln("build", "base");

    assertThat(code).isZero();
    assertThat(stdout())
        .isEqualTo(
            """
            i Using cindy @ %s as context
            i Smart Builds is skipping build of "base" because it's already built
            ✓ Image '127.0.0.1:5100/cindy/base:kiln' successfully pushed
            """
                .formatted(host()));
    assertThat(gateway.calls).noneMatch(call -> call.startsWith("PUT"));
    JsonNode request = gateway.buildRequests.get(0);
    assertThat(request.path("clientHash").asText()).hasSize(64);
    assertThat(request.has("contextDigest")).isFalse();
    assertThat(request.path("smartBuilds").asBoolean()).isTrue();
    assertThat(request.path("noCache").asBoolean()).isFalse();
  }

  @Test
  void uploadsTheContextOnAMissAndFollowsTheBuild() {
    int code = kiln("build", "base");

    assertThat(code).isZero();
    assertThat(gateway.calls)
        .extracting(call -> call.replaceAll("sha256:[0-9a-f]{64}", "<digest>"))
        .containsExactly(
            "GET /v1/whoami",
            "POST /v1/builds",
            "GET /v1/builds/b1/events",
            "PUT /v1/contexts/<digest>?build=b1",
            "POST /v1/builds/b1/context",
            "GET /v1/builds/b1/events");
    // the gateway recomputes the CLI's hash from the uploaded archive
    assertThat(gateway.serverHashes.get("b1"))
        .isEqualTo(gateway.buildRequests.get(0).path("clientHash").asText());
    assertThat(stdout())
        .startsWith("i Using cindy @ " + host() + " as context\n")
        .contains(
            "i Building 'base/Dockerfile' in tcp://127.0.0.1:11234...\n"
                + "#1 [1/1] RUN make\n#1 compiling\n#1 DONE 0.5s\n"
                + "✓ Image '127.0.0.1:5100/cindy/base:kiln' successfully pushed\n");
  }

  @Test
  void buildsDependenciesFirstAndPassesTheirCacheReference() {
    gateway.cached.add("base");

    int code = kiln("build", "api");

    assertThat(code).isZero();
    assertThat(gateway.buildRequests)
        .extracting(r -> r.path("image").asText())
        .containsExactly("base", "api");
    JsonNode baseState = gateway.buildRequests.get(0);
    String baseDigest = "sha256:" + sha256("base");
    assertThat(
            gateway
                .buildRequests
                .get(1)
                .path("params")
                .path("args")
                .path("KILN_BUILD_BASE_IMAGE")
                .asText())
        .isEqualTo("127.0.0.1:5100/kiln/base@" + baseDigest);
    assertThat(baseState.path("clientHash").asText()).hasSize(64);
    assertThat(gateway.serverHashes.get("b2"))
        .isEqualTo(gateway.buildRequests.get(1).path("clientHash").asText());
  }

  @Test
  void exitsNonZeroAndStopsDependentsWhenABuildFails() {
    gateway.failing.add("base");

    int code = kiln("build");

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .isEqualTo(
            "x Build of \"base\" failed: the Dockerfile step RUN make failed: exit code: 2; fix the step\n");
    assertThat(stdout()).contains("#1 ERROR exit code: 2\n");
    assertThat(gateway.buildRequests)
        .extracting(r -> r.path("image").asText())
        .containsExactly("base");
  }

  @Test
  void uploadsFirstWithNoCache() {
    gateway.cached.add("base");

    int code = kiln("build", "base", "--no-cache");

    assertThat(code).isZero();
    assertThat(gateway.calls.get(1))
        .startsWith("PUT /v1/contexts/sha256:")
        .doesNotContain("build=");
    JsonNode request = gateway.buildRequests.get(0);
    assertThat(request.path("noCache").asBoolean()).isTrue();
    assertThat(request.path("contextDigest").asText()).startsWith("sha256:");
    assertThat(request.path("clientHash").asText()).hasSize(64);
    assertThat(stdout()).contains("i Building 'base/Dockerfile'").doesNotContain("skipping");
  }

  @Test
  void uploadsFirstWhenSmartBuildsAreDisabled() {
    gateway.cached.add("base");
    env.put("OKTETO_SMART_BUILDS_ENABLED", "false");

    int code = kiln("build", "base");

    assertThat(code).isZero();
    JsonNode request = gateway.buildRequests.get(0);
    assertThat(request.path("smartBuilds").asBoolean()).isFalse();
    assertThat(request.path("noCache").asBoolean()).isFalse();
    assertThat(request.path("contextDigest").asText()).startsWith("sha256:");
  }

  @Test
  void sendsTheNamespaceAndTagOptions() {
    gateway.cached.add("base");

    int code = kiln("build", "base", "--namespace", "david", "--tag", "v1");

    assertThat(code).isZero();
    assertThat(gateway.buildRequests.get(0).path("namespace").asText()).isEqualTo("david");
    assertThat(stdout())
        .startsWith("i Using david @ ")
        .contains("✓ Image '127.0.0.1:5100/david/base:v1' successfully pushed");
  }

  @Test
  void resumesTheEventStreamWithLastEventId() {
    gateway.dropFirstStreams = true;

    int code = kiln("build", "base");

    assertThat(code).isZero();
    assertThat(gateway.lastEventIds).contains("1");
    assertThat(stdout()).containsOnlyOnce("i Building").containsOnlyOnce("✓ Image");
  }

  @Test
  void givesUpWhenTheStreamStaysSilentPastTheDeadline() {
    gateway.silent = true;
    env.put("KILN_BUILD_TIMEOUT", "300ms");

    int code = kiln("build", "base");

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .startsWith(
            "x Build of \"base\" failed: tried to follow build b1 of 'base' but no event arrived for 300ms;")
        .contains("KILN_BUILD_TIMEOUT");
  }

  @Test
  void printsTheGatewaysClientErrorsAsTheyAre() {
    write("kiln.yml", "build:\n  rejected:\n    context: base\n");

    int code = kiln("build");

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .isEqualTo(
            "x Build of \"rejected\" failed: the image name 'rejected' is reserved; pick another\n");
  }

  @Test
  void saysHowToSetTheTokenOnA401() {
    env.put("KILN_TOKEN", "wrong");

    int code = kiln("build");

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .contains("rejected the token (the token is not valid; ask an admin for a new one)")
        .contains("set KILN_TOKEN");
  }

  @Test
  void saysWhichGatewayIsUnreachableAndHowToStartIt() throws IOException {
    int port;
    try (ServerSocket unused = new ServerSocket(0)) {
      port = unused.getLocalPort();
    }
    env.put("KILN_URL", "http://127.0.0.1:" + port);

    int code = kiln("build");

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .startsWith(
            "x tried to ask the gateway who the token belongs to but the kiln gateway at http://127.0.0.1:"
                + port
                + " is unreachable")
        .contains("./kiln demo")
        .contains("scripts/services.sh");
  }

  @Test
  void refusesSecretsBeforeContactingTheGateway() {
    write("npmrc", "//registry/:_authToken=x\n");
    write("kiln.yml", "build:\n  base:\n    context: base\n    secrets:\n      npmrc: npmrc\n");

    int code = kiln("build");

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .isEqualTo(
            "x kiln.yml:2: image 'base' uses secrets (npmrc), but remote builds with secrets are not"
                + " supported yet; remove secrets: from the image to build it with kiln\n");
    assertThat(gateway.calls).isEmpty();
  }

  @Test
  void reportsManifestErrorsWithFileAndLine() {
    write("kiln.yml", "build:\n  api:\n    context: missing\n");

    int code = kiln("build");

    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .startsWith("x kiln.yml:3: context 'missing' of image 'api' does not exist");
    assertThat(gateway.calls).isEmpty();
  }

  @Test
  void writesJsonLinesInJsonMode() throws IOException {
    gateway.cached.add("base");

    int code = kiln("build", "base", "--progress", "json");

    assertThat(code).isZero();
    ObjectMapper json = new ObjectMapper();
    List<String> lines = stdout().lines().toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      assertThat(json.readTree(line).path("image").asText()).isEqualTo("base");
    }
    assertThat(stderr()).contains("i Using cindy").contains("✓ Image");
  }

  private int kiln(String... args) {
    CliEnvironment environment =
        new CliEnvironment(
            env,
            project,
            dir,
            dir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false,
            Clock.systemUTC(),
            GatewayClient::defaultHttpClient,
            new Reconnects(Duration.ofMillis(10), Duration.ofMillis(50), 2));
    return KilnCli.run(args, environment);
  }

  private String host() {
    return "127.0.0.1:" + gateway.url().getPort();
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String sha256(String text) {
    return dev.kiln.core.image.Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).hex();
  }

  private void write(String path, String content) {
    try {
      Path file = project.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
