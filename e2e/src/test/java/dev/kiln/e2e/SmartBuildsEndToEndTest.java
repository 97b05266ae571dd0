package dev.kiln.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton of issue 2 on the real stack: the kiln CLI talks to the gateway, Kafka
 * carries the request through the hash-service and the worker, BuildKit builds and pushes to the
 * real registry, and a second namespace building the same inputs is skipped and retagged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmartBuildsEndToEndTest {
  @TempDir static Path work;

  private static KilnStack stack;
  private static Path project;
  private static String cindy;
  private static String david;
  private static Map<String, String> cindyEnv;
  private static Map<String, String> davidEnv;

  @BeforeAll
  static void startStack() throws Exception {
    stack = new KilnStack(Files.createDirectories(work.resolve("stack")));
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    cindy = "cindy-" + suffix;
    david = "david-" + suffix;
    cindyEnv = cliEnv(stack.token(cindy));
    davidEnv = cliEnv(stack.token(david));
    project = Files.createDirectories(work.resolve("project"));
    Path api = Files.createDirectories(project.resolve("api"));
    Files.writeString(
        project.resolve("kiln.yml"),
        "build:\n  api:\n    context: api\n    args:\n      GREETING: hi\n");
    Files.writeString(
        api.resolve("Dockerfile"),
        "FROM "
            + stack.endpoints.baseImage()
            + "\nARG GREETING\nCOPY app.sh /app/\nRUN sh /app/app.sh > /app/out.txt\n");
    Files.writeString(api.resolve("app.sh"), "echo \"$GREETING from kiln\"\n");
    Files.writeString(api.resolve(".dockerignore"), "*.log\n");
    Files.writeString(api.resolve("debug.log"), "ignored\n");
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void secondNamespaceSkipsAndSharesTheFirstNamespacesImage() throws Exception {
    CliRun first = CliRun.kiln(project, cindyEnv, "build");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out())
        .contains("i Using " + cindy + " @ ")
        .contains("i Building 'api/Dockerfile' in " + stack.endpoints.buildkitAddr())
        .contains("RUN sh /app/app.sh")
        .contains("pushing manifest for " + stack.endpoints.registry() + "/kiln/api:")
        .contains(
            "✓ Image '"
                + stack.endpoints.registry()
                + "/"
                + cindy
                + "/api:kiln'"
                + " successfully pushed");

    CliRun second = CliRun.kiln(project, davidEnv, "build");

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out())
        .contains("i Using " + david + " @ ")
        .contains("i Smart Builds is skipping build of \"api\" because it's already built")
        .contains(
            "✓ Image '"
                + stack.endpoints.registry()
                + "/"
                + david
                + "/api:kiln'"
                + " successfully pushed")
        .doesNotContain("i Building");
    assertThat(stack.solveCount()).as("BuildKit solves").isEqualTo(1);

    Map<String, String[]> lastBuilds = lastBuilds();
    assertThat(lastBuilds).containsOnlyKeys(cindy, david);
    String digest = lastBuilds.get(cindy)[0];
    String hash = lastBuilds.get(cindy)[1];
    assertThat(lastBuilds.get(david)).containsExactly(digest, hash);
    String registry = stack.endpoints.registry();
    assertThat(stack.resolve(registry + "/kiln/api:" + hash)).isEqualTo(digest);
    assertThat(stack.resolve(registry + "/" + cindy + "/api:kiln")).isEqualTo(digest);
    assertThat(stack.resolve(registry + "/" + david + "/api:kiln")).isEqualTo(digest);
  }

  @Test
  @Order(2)
  void noCacheRebuildsAndRefreshesTheCacheTag() throws Exception {
    long solvesBefore = stack.solveCount();
    String hashBefore = lastBuilds().get(cindy)[1];

    CliRun run = CliRun.kiln(project, cindyEnv, "build", "--no-cache");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("i Building 'api/Dockerfile'").doesNotContain("skipping");
    assertThat(stack.solveCount()).isEqualTo(solvesBefore + 1);
    String[] cindyRow = lastBuilds().get(cindy);
    assertThat(cindyRow[1]).isEqualTo(hashBefore);
    assertThat(stack.resolve(stack.endpoints.registry() + "/kiln/api:" + hashBefore))
        .isEqualTo(cindyRow[0]);
  }

  @Test
  @Order(3)
  void editingAnIgnoredFileStillSkips() throws Exception {
    long solvesBefore = stack.solveCount();
    String hashBefore = lastBuilds().get(david)[1];
    Files.writeString(project.resolve("api/debug.log"), "changed, but ignored\n");

    CliRun run = CliRun.kiln(project, davidEnv, "build");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Smart Builds is skipping build of \"api\"");
    assertThat(stack.solveCount()).isEqualTo(solvesBefore);
    assertThat(lastBuilds().get(david)[1]).isEqualTo(hashBefore);
  }

  @Test
  @Order(4)
  void editingAnIncludedFileChangesTheHashAndRebuilds() throws Exception {
    long solvesBefore = stack.solveCount();
    String hashBefore = lastBuilds().get(david)[1];
    Files.writeString(project.resolve("api/app.sh"), "echo \"$GREETING from kiln, v2\"\n");

    CliRun run = CliRun.kiln(project, davidEnv, "build");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("i Building 'api/Dockerfile'");
    assertThat(stack.solveCount()).isEqualTo(solvesBefore + 1);
    String[] davidRow = lastBuilds().get(david);
    assertThat(davidRow[1]).isNotEqualTo(hashBefore);
    assertThat(stack.resolve(stack.endpoints.registry() + "/" + david + "/api:kiln"))
        .isEqualTo(davidRow[0]);
  }

  @Test
  @Order(5)
  void aDockerfileThatFailsToBuildEndsFailedWithBuildKitsReason() throws Exception {
    Path broken = Files.createDirectories(work.resolve("broken"));
    Files.writeString(broken.resolve("kiln.yml"), "build:\n  web:\n    context: .\n");
    Files.writeString(
        broken.resolve("Dockerfile"),
        "FROM " + stack.endpoints.baseImage() + "\nRUN echo about to fail && exit 3\n");

    CliRun run = CliRun.kiln(broken, cindyEnv, "build");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("web").contains("exit code: 3");
    try (Connection db = stack.db();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT state, error FROM builds WHERE org = ? AND image = 'web'")) {
      query.setString(1, stack.org);
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("state")).isEqualTo("FAILED");
        assertThat(rows.getString("error")).contains("exit code: 3");
      }
    }
  }

  @Test
  @Order(7)
  void anUnknownImageIsRejectedBeforeAnythingIsSent() {
    CliRun run = CliRun.kiln(project, cindyEnv, "build", "nope");

    assertThat(run.exitCode()).as(run.toString()).isNotZero();
    assertThat(run.err()).contains("nope").contains("api");
  }

  @Test
  @Order(8)
  void smartBuildsSwitchedOffByTheUserBuildsWhatWouldBeSkipped() {
    long solvesBefore = stack.solveCount();
    Map<String, String> env = new HashMap<>(davidEnv);
    env.put("KILN_SMART_BUILDS_ENABLED", "false");

    CliRun run = CliRun.kiln(project, env, "build");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("i Building 'api/Dockerfile'").doesNotContain("skipping");
    assertThat(stack.solveCount()).isEqualTo(solvesBefore + 1);
  }

  @Test
  @Order(9)
  void smartBuildsSwitchedOffByAnAdminVariableBuildsForEveryone() throws Exception {
    stack.adminVariable("OKTETO_SMART_BUILDS_ENABLED", "false");
    long solvesBefore = stack.solveCount();

    CliRun run = CliRun.kiln(project, cindyEnv, "build");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("i Building 'api/Dockerfile'").doesNotContain("skipping");
    assertThat(stack.solveCount()).isEqualTo(solvesBefore + 1);
  }

  /**
   * A file name that is not UTF-8 reaches BuildKit as its bytes (the RUN step prints them in hex),
   * and the gateway's hash of the upload equals the CLI's, so another user skips.
   */
  @Test
  @Order(6)
  void namesThatAreNotUtf8ReachBuildKitAsTheirBytesAndSkip() throws Exception {
    Path rawProject = Files.createDirectories(work.resolve("raw-project"));
    Path context = Files.createDirectories(rawProject.resolve("raw"));
    Files.writeString(rawProject.resolve("kiln.yml"), "build:\n  raw:\n    context: raw\n");
    Files.writeString(
        context.resolve("Dockerfile"),
        "FROM "
            + stack.endpoints.baseImage()
            + "\nCOPY . /ctx/\nRUN printf '%s\\n' /ctx/bad* | od -An -tx1\n");
    // the JDK names raw bytes only through a file URI
    Files.writeString(Path.of(URI.create(context.toUri() + "bad%FF")), "raw name\n");

    CliRun files = CliRun.kiln(rawProject, cindyEnv, "hash", "--files", "raw");
    CliRun built = CliRun.kiln(rawProject, cindyEnv, "build", "--no-cache", "raw");
    CliRun skipped = CliRun.kiln(rawProject, davidEnv, "build", "raw");

    assertThat(files.out()).as(files.toString()).contains("file - bad\\xff");
    assertThat(built.exitCode()).as(built.toString()).isZero();
    assertThat(built.out()).contains("62 61 64 ff 0a");
    assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
    assertThat(skipped.out()).contains("i Smart Builds is skipping build of \"raw\"");
  }

  /** namespace → {digest, hash} of this organisation's last-build records. */
  private static Map<String, String[]> lastBuilds() throws Exception {
    Map<String, String[]> rows = new HashMap<>();
    try (Connection db = stack.db();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT namespace, digest, hash FROM last_builds WHERE org = ? AND image = 'api'")) {
      query.setString(1, stack.org);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          rows.put(
              result.getString("namespace"),
              new String[] {result.getString("digest"), result.getString("hash")});
        }
      }
    }
    return rows;
  }

  private static Map<String, String> cliEnv(String token) {
    return Map.of("KILN_URL", stack.gatewayUrl(), "KILN_TOKEN", token);
  }
}
