package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.sse.Reconnects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Argument parsing and exit codes of the command line. */
class KilnCliTest {
  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void manifest() throws IOException {
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(dir.resolve("kiln.yml"), "build:\n  api: {}\n");
  }

  @Test
  void showsUsageWithoutACommand() {
    assertThat(kiln()).isEqualTo(2);
    assertThat(stderr()).contains("Usage: kiln").contains("build").contains("hash");
  }

  @Test
  void showsHelpForBuild() {
    assertThat(kiln("build", "--help")).isZero();
    assertThat(stdout())
        .contains("--no-cache")
        .contains("--namespace")
        .contains("--tag")
        .contains("--progress")
        .contains("-f, --file");
  }

  @Test
  void rejectsAnUnknownOptionAsAUsageError() {
    assertThat(kiln("build", "--bogus")).isEqualTo(2);
    assertThat(stderr()).contains("Unknown option: '--bogus'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "build --progress fancy | --progress 'fancy' is not a progress mode; use plain, tty or json",
        "build web | kiln.yml:1: there is no image 'web' in the build section; name one of api",
        "build -f nope.yml | tried to read the manifest nope.yml but there is no such file",
        "build | no token is set; set KILN_TOKEN (or pass --token)",
        "build --token t --url ftp://x | the gateway URL 'ftp://x' is invalid",
        "build --token t --namespace Bad! | the namespace 'Bad!' is invalid",
      })
  void failsWithAMessageThatSaysWhatToDo(String args, String message) {
    assertThat(kiln(args.strip().split(" +"))).isEqualTo(1);
    assertThat(stderr()).startsWith("x ").contains(message);
  }

  private int kiln(String... args) {
    CliEnvironment environment =
        new CliEnvironment(
            env,
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
}
