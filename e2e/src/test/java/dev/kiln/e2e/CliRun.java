package dev.kiln.e2e;

import dev.kiln.cli.CliEnvironment;
import dev.kiln.cli.KilnCli;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.sse.Reconnects;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** One in-JVM run of the kiln CLI with its own environment and captured output. */
record CliRun(int exitCode, String out, String err) {

  static CliRun kiln(Path workDir, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnvironment environment =
        new CliEnvironment(
            new HashMap<>(env),
            workDir,
            workDir,
            workDir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false,
            Clock.systemUTC(),
            GatewayClient::defaultHttpClient,
            Reconnects.DEFAULT);
    int code = KilnCli.run(args, environment);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
