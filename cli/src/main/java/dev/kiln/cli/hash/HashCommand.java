package dev.kiln.cli.hash;

import dev.kiln.cli.CliEnvironment;
import dev.kiln.cli.build.DependencyArgs;
import dev.kiln.cli.build.EnvSettings;
import dev.kiln.cli.build.LocalContext;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.manifest.ImageSpec;
import dev.kiln.cli.manifest.Manifest;
import dev.kiln.cli.manifest.ManifestLocator;
import dev.kiln.cli.manifest.ManifestParser;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.hash.cache.StatCaches;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln hash}: prints the build hash kiln computes for images of the manifest, or for a
 * context given on the command line, and with {@code --files} the entries that go into it.
 */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description = {
      "Print the build hash of the manifest's images (or of --context DIR).",
      "The hash covers the cache scope <org>/<cache namespace>: pass --scope, or set KILN_TOKEN",
      "and kiln asks the gateway."
    })
public final class HashCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "images (default: all)")
  List<String> images = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "manifest")
  String file;

  @Option(names = "--files", description = "list the entries that go into the hash instead")
  boolean files;

  @Option(names = "--context", paramLabel = "DIR", description = "hash DIR without a manifest")
  Path context;

  @Option(
      names = "--dockerfile",
      paramLabel = "F",
      defaultValue = "Dockerfile",
      description = "with --context: the Dockerfile, relative to DIR (default: Dockerfile)")
  String dockerfile;

  @Option(
      names = "--target",
      paramLabel = "T",
      defaultValue = "",
      description = "with --context: the build stage")
  String target;

  @Option(names = "--build-arg", paramLabel = "K=V", description = "a build argument (repeatable)")
  List<String> buildArgs = new ArrayList<>();

  @Option(
      names = "--platform",
      paramLabel = "P",
      description = "with --context: a platform (repeatable)")
  List<String> platforms = new ArrayList<>();

  @Option(
      names = "--scope",
      paramLabel = "ORG/CACHE-NS",
      description = "cache scope (default: asked from the gateway with KILN_TOKEN)")
  String scope;

  @Option(names = "--url", paramLabel = "URL", description = "gateway (default: $KILN_URL)")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", description = "default: $KILN_TOKEN")
  String token;

  public HashCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    SortedMap<String, String> extraArgs = parseArgs(buildArgs);
    String cacheScope = files ? "" : cacheScope();
    PrintStream out = environment.out();
    if (context != null) {
      if (!images.isEmpty() || file != null) {
        throw new InvalidInputException(
            "kiln hash --context hashes one directory without a manifest; drop the image names"
                + " and -f, or drop --context",
            "--context");
      }
      Path dir =
          ManifestLocator.requireIntact(
              environment.workingDir().resolve(context).normalize(), "--context");
      if (dockerfile != null) {
        ManifestLocator.requireIntact(dockerfile, "--dockerfile");
      }
      if (!Files.isDirectory(dir)) {
        throw new InvalidInputException(
            "tried to hash the context " + context + " but it is not a directory; fix --context",
            "--context");
      }
      LocalContext local =
          LocalContext.prepare(
              dir,
              dockerfile,
              target,
              extraArgs,
              new TreeSet<>(platforms),
              Map.of(),
              cacheScope,
              statCaches());
      print(out, null, local);
      return 0;
    }

    ManifestLocator.Located located = ManifestLocator.locate(environment.workingDir(), file);
    Manifest manifest =
        new ManifestParser(environment.home()).parse(located.path(), located.displayName());
    // dependencies are not printed: their hashes are asked for by naming them
    List<ImageSpec> selected =
        manifest.select(images).stream()
            .filter(image -> images.isEmpty() || images.contains(image.name()))
            .toList();
    for (ImageSpec image : selected) {
      SortedMap<String, String> args = new TreeMap<>(image.args());
      args.putAll(extraArgs);
      noteMissingDependencyArgs(image, args);
      LocalContext local =
          LocalContext.prepare(
              image.contextDir(),
              image.dockerfile(),
              image.target(),
              args,
              new TreeSet<>(),
              image.secrets(),
              cacheScope,
              statCaches());
      print(out, image.name(), local);
    }
    return 0;
  }

  private void print(PrintStream out, String image, LocalContext local) {
    if (!files) {
      out.println(image == null ? local.hash().toString() : image + " " + local.hash());
      return;
    }
    if (image != null) {
      out.println("# " + image);
    }
    for (ContextEntry entry : local.entries()) {
      out.println(EntryLine.format(entry));
    }
  }

  private void noteMissingDependencyArgs(ImageSpec image, SortedMap<String, String> args) {
    for (String dependency : image.dependsOn()) {
      String name = DependencyArgs.argName(dependency);
      if (!args.containsKey(name) && !files) {
        environment
            .err()
            .println(
                "i "
                    + image.name()
                    + " depends on "
                    + dependency
                    + ": its remote hash also covers "
                    + name
                    + ", known once "
                    + dependency
                    + " is built; pass --build-arg "
                    + name
                    + "=<cache ref>@<digest> to include it");
      }
    }
  }

  private StatCaches statCaches() {
    return StatCaches.forUser(environment.env(), environment.home(), environment.clock());
  }

  private String cacheScope() {
    if (scope != null) {
      return scope;
    }
    EnvSettings env = new EnvSettings(environment.env());
    String bearer = env.token(token);
    if (bearer == null) {
      throw new InvalidInputException(
          "tried to compute the build hash but its cache scope is unknown; pass --scope"
              + " <org>/<cache namespace>, or set KILN_TOKEN so kiln asks the gateway",
          "--scope");
    }
    URI baseUrl = GatewayClient.parseBaseUrl(env.gatewayUrl(url));
    return new GatewayClient(baseUrl, bearer, environment.http()).whoami().cacheScope();
  }

  static SortedMap<String, String> parseArgs(List<String> pairs) {
    SortedMap<String, String> args = new TreeMap<>();
    for (String pair : pairs) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new InvalidInputException(
            "--build-arg '" + pair + "' is not NAME=VALUE; write it as NAME=VALUE", "--build-arg");
      }
      args.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return args;
  }
}
