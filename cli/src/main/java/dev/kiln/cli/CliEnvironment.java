package dev.kiln.cli;

import dev.kiln.cli.console.Terminal;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.sse.Reconnects;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Everything the commands take from the process, passed in so tests run them in-JVM.
 *
 * @param env environment variables
 * @param workingDir where relative paths start
 * @param home the user's home, for {@code ~} in manifests
 * @param tempDir where packed contexts are written before upload
 * @param stdoutIsTerminal whether colours may be used in tty mode
 * @param httpClient called once, when a command first talks to the gateway: an HTTP client with its
 *     TLS setup costs a fifth of a second that {@code --version} or {@code hash --context} need not
 *     pay
 */
public record CliEnvironment(
    Map<String, String> env,
    Path workingDir,
    Path home,
    Path tempDir,
    PrintStream out,
    PrintStream err,
    boolean stdoutIsTerminal,
    Clock clock,
    Supplier<HttpClient> httpClient,
    Reconnects reconnects) {

  public CliEnvironment {
    httpClient = memoized(httpClient);
  }

  /** The HTTP client, created on first use. */
  public HttpClient http() {
    return httpClient.get();
  }

  /** The real process: UTF-8 output whatever the locale, so ✓ survives a C locale. */
  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        Path.of("").toAbsolutePath(),
        Path.of(System.getProperty("user.home")),
        Path.of(System.getProperty("java.io.tmpdir")),
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
        Terminal.stdoutIsTerminal(),
        Clock.systemUTC(),
        GatewayClient::defaultHttpClient,
        Reconnects.DEFAULT);
  }

  private static Supplier<HttpClient> memoized(Supplier<HttpClient> create) {
    AtomicReference<HttpClient> made = new AtomicReference<>();
    return () -> made.updateAndGet(existing -> existing != null ? existing : create.get());
  }
}
