package dev.kiln.cli.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.CliEnvironment;
import dev.kiln.cli.KilnCli;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.sse.Reconnects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void project() throws IOException {
    write("api/Dockerfile", "FROM scratch\nCOPY . /\n");
    write("api/app.txt", "hello\n");
    write("api/debug.log", "noise\n");
    write("api/.dockerignore", "*.log\ntmp/\n");
    write("api/tmp/scratch.txt", "scratch\n");
    write("api/run.sh", "#!/bin/sh\n");
    dir.resolve("api/run.sh").toFile().setExecutable(true);
    Files.createSymbolicLink(dir.resolve("api/current"), Path.of("app.txt"));
    write(
        "kiln.yml",
        "build:\n  api:\n    context: api\n  web:\n    context: api\n    depends_on: [api]\n");
  }

  @Test
  void printsOneHashPerImage() {
    int code = kiln("hash", "--scope", "acme/kiln");

    assertThat(code).isZero();
    assertThat(stdout().lines())
        .hasSize(2)
        .allMatch(line -> line.matches("(api|web) [0-9a-f]{64}"));
    assertThat(stderr())
        .contains("web depends on api: its remote hash also covers KILN_BUILD_API_IMAGE");
  }

  @Test
  void givesTheSameHashForTheManifestAndForContextOptions() {
    kiln("hash", "api", "--scope", "acme/kiln");
    String fromManifest = stdout().strip().split(" ")[1];
    out.reset();

    kiln("hash", "--context", "api", "--scope", "acme/kiln");

    assertThat(stdout().strip()).isEqualTo(fromManifest);
  }

  @Test
  void changesWithIncludedFilesButNotIgnoredOnes() throws IOException {
    String before = hashOfContext();
    write("api/debug.log", "other noise\n");
    write("api/tmp/scratch.txt", "changed\n");
    assertThat(hashOfContext()).isEqualTo(before);

    write("api/app.txt", "hello again\n");
    assertThat(hashOfContext()).isNotEqualTo(before);
  }

  @Test
  void changesWithArgsTargetPlatformAndScope() {
    String plain = hashOfContext();

    assertThat(hashOf("--context", "api", "--scope", "acme/kiln", "--build-arg", "A=1"))
        .isNotEqualTo(plain);
    assertThat(hashOf("--context", "api", "--scope", "acme/kiln", "--target", "release"))
        .isNotEqualTo(plain);
    assertThat(hashOf("--context", "api", "--scope", "acme/kiln", "--platform", "linux/arm64"))
        .isNotEqualTo(plain);
    assertThat(hashOf("--context", "api", "--scope", "other/kiln")).isNotEqualTo(plain);
  }

  @Test
  void listsTheEntriesThatGoIntoTheHash() {
    int code = kiln("hash", "--files", "api");

    assertThat(code).isZero();
    assertThat(stdout())
        .isEqualTo(
            """
            # api
            file - .dockerignore
            file - Dockerfile
            file - app.txt
            link - current -> app.txt
            file x run.sh
            """);
  }

  @Test
  void needsAScopeWithoutAToken() {
    int code = kiln("hash");

    assertThat(code).isEqualTo(1);
    assertThat(stderr()).contains("pass --scope <org>/<cache namespace>, or set KILN_TOKEN");
  }

  /**
   * The JVM hands kiln arguments with U+FFFD for bytes that are not UTF-8, so such a path may be
   * another directory than meant: refused, never hashed.
   */
  @Test
  void refusesAContextPathTheJvmMayHaveMisread() throws IOException {
    Files.createDirectories(dir.resolve("ctx\uFFFD"));
    write("ctx\uFFFD/Dockerfile", "FROM scratch\n");

    int code = kiln("hash", "--scope", "a/b", "--context", "ctx\uFFFD");

    assertThat(code).isEqualTo(1);
    assertThat(stderr()).contains("holds U+FFFD").contains("through a symlink with a UTF-8 name");
  }

  /** An arrow inside a name is escaped, so only the separator of a link line reads as one. */
  @Test
  void listsLinksWithArrowsInTheirNamesUnambiguously() throws IOException {
    Files.createSymbolicLink(dir.resolve("api/a -> b"), Path.of("c"));
    Files.createSymbolicLink(dir.resolve("api/a"), Path.of("b -> c"));

    kiln("hash", "--files", "api");

    assertThat(stdout()).contains("link - a -> b -\\x3e c\n").contains("link - a -\\x3e b -> c\n");
  }

  @Test
  void rejectsAMalformedBuildArg() {
    int code = kiln("hash", "--scope", "a/b", "--build-arg", "NOVALUE");

    assertThat(code).isEqualTo(1);
    assertThat(stderr()).contains("--build-arg 'NOVALUE' is not NAME=VALUE");
  }

  private String hashOfContext() {
    return hashOf("--context", "api", "--scope", "acme/kiln");
  }

  private String hashOf(String... args) {
    out.reset();
    String[] all = new String[args.length + 1];
    all[0] = "hash";
    System.arraycopy(args, 0, all, 1, args.length);
    assertThat(kiln(all)).isZero();
    return stdout().strip();
  }

  private int kiln(String... args) {
    CliEnvironment environment =
        new CliEnvironment(
            Map.of(),
            dir,
            dir,
            dir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false,
            Clock.systemUTC(),
            GatewayClient::defaultHttpClient,
            Reconnects.DEFAULT);
    return KilnCli.run(args, environment);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
