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
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln hash} keeps a stat cache in the user's cache directory, and it never hides edits. */
class HashStatCacheTest {
  @TempDir Path project;
  @TempDir Path home;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Runs start an hour after the files were written, so the cache trusts what it stored. */
  private final Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);

  @BeforeEach
  void context() throws IOException {
    Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
    Files.writeString(project.resolve("app.txt"), "hello\n");
  }

  @Test
  void keepsTheCacheUnderXdgCacheHome() throws IOException {
    Path xdg = home.resolve("xdg");

    String hash = hash(Map.of("XDG_CACHE_HOME", xdg.toString()));

    assertThat(hash).matches("[0-9a-f]{64}");
    try (Stream<Path> files = Files.list(xdg.resolve("kiln/stat"))) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void seesAnEditThatKeepsTheSizeAndTheMtime() throws IOException {
    String before = hash(Map.of());
    Path app = project.resolve("app.txt");
    FileTime mtime = Files.getLastModifiedTime(app);
    Files.writeString(app, "HELLO\n");
    Files.setLastModifiedTime(app, mtime);

    String after = hash(Map.of());

    assertThat(home.resolve(".cache/kiln/stat")).isNotEmptyDirectory();
    assertThat(after).isNotEqualTo(before).isEqualTo(hash(Map.of()));
  }

  private String hash(Map<String, String> env) {
    out.reset();
    CliEnvironment environment =
        new CliEnvironment(
            env,
            project,
            home,
            home,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            false,
            later,
            GatewayClient::defaultHttpClient,
            Reconnects.DEFAULT);
    assertThat(
            KilnCli.run(
                new String[] {"hash", "--context", ".", "--scope", "acme/kiln"}, environment))
        .isZero();
    return out.toString(StandardCharsets.UTF_8).strip();
  }
}
