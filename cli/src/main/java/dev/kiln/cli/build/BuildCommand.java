package dev.kiln.cli.build;

import dev.kiln.cli.CliEnvironment;
import dev.kiln.cli.console.Console;
import dev.kiln.cli.console.ProgressMode;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.manifest.Manifest;
import dev.kiln.cli.manifest.ManifestLocator;
import dev.kiln.cli.manifest.ManifestParser;
import dev.kiln.cli.sse.SseFollower;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.hash.cache.StatCaches;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln build [IMAGE...]}: builds the manifest's images remotely. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = "Build the manifest's images (or the named ones) on the kiln service.")
public final class BuildCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "images to build (default: all)")
  List<String> images = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "manifest (default: kiln.yml, then okteto.yml)")
  String file;

  @Option(names = "--no-cache", description = "always build, without BuildKit's cache")
  boolean noCache;

  @Option(names = "--namespace", paramLabel = "NS", description = "default: the token's")
  String namespace;

  @Option(names = "--tag", paramLabel = "TAG", description = "namespace tag (default: kiln)")
  String tag;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "plain",
      description = "plain, tty or json (default: plain)")
  String progress;

  @Option(names = "--url", paramLabel = "URL", description = "gateway (default: $KILN_URL)")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", description = "default: $KILN_TOKEN")
  String token;

  public BuildCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ProgressMode mode = progressMode(progress);
    EnvSettings env = new EnvSettings(environment.env());
    BuildSettings settings =
        new BuildSettings(namespace, tag, noCache, env.smartBuilds(), mode, env.buildTimeout());

    ManifestLocator.Located located = ManifestLocator.locate(environment.workingDir(), file);
    Manifest manifest =
        new ManifestParser(environment.home()).parse(located.path(), located.displayName());
    var selected = manifest.select(images);

    GatewayClient gateway = gateway(env);
    Console console =
        Console.forMode(environment.out(), environment.err(), mode, environment.stdoutIsTerminal());
    SseFollower follower =
        new SseFollower(
            environment.http(),
            environment.clock(),
            settings.idleTimeout(),
            environment.reconnects());
    StatCaches statCaches =
        StatCaches.forUser(environment.env(), environment.home(), environment.clock());
    new BuildRun(gateway, follower, console, settings, environment.tempDir(), statCaches)
        .run(selected);
    console.flush();
    return 0;
  }

  private GatewayClient gateway(EnvSettings env) {
    String baseUrl = env.gatewayUrl(url);
    String bearer = env.token(token);
    if (bearer == null) {
      throw new InvalidInputException(
          "tried to build with kiln but no token is set; set KILN_TOKEN (or pass --token) to the"
              + " token of your namespace (an admin creates one with POST /v1/admin/tokens)",
          "KILN_TOKEN");
    }
    return new GatewayClient(GatewayClient.parseBaseUrl(baseUrl), bearer, environment.http());
  }

  static ProgressMode progressMode(String text) {
    try {
      return ProgressMode.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "--progress '" + text + "' is not a progress mode; use plain, tty or json", "--progress");
    }
  }
}
