package dev.kiln.cli.build;

import dev.kiln.cli.console.Console;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.gateway.WhoAmI;
import dev.kiln.cli.manifest.ImageSpec;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.hash.cache.StatCaches;
import dev.kiln.core.image.Names;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/** Builds a list of images, each after its dependencies, stopping at the first failure. */
public final class BuildRun {
  private final GatewayClient gateway;
  private final RemoteBuild remote;
  private final Console console;
  private final BuildSettings settings;
  private final StatCaches statCaches;

  public BuildRun(
      GatewayClient gateway,
      dev.kiln.cli.sse.SseFollower follower,
      Console console,
      BuildSettings settings,
      java.nio.file.Path tempDir,
      StatCaches statCaches) {
    this.gateway = gateway;
    this.remote = new RemoteBuild(gateway, follower, console, settings, tempDir);
    this.console = console;
    this.settings = settings;
    this.statCaches = statCaches;
  }

  /**
   * @param images in build order (dependencies first), as {@code Manifest.select} returns them
   * @throws ReportedFailure when an image failed to build; later images were not started
   */
  public List<BuiltImage> run(List<ImageSpec> images) {
    refuseSecrets(images);
    String namespace = settings.namespace() == null ? null : Names.namespace(settings.namespace());
    if (settings.tag() != null) {
      Names.tag(settings.tag());
    }

    WhoAmI who = gateway.whoami();
    if (namespace == null) {
      namespace = who.namespace();
    }
    console.info("Using " + namespace + " @ " + host(gateway.baseUrl()) + " as context");

    Map<String, BuiltImage> built = new LinkedHashMap<>();
    for (ImageSpec image : images) {
      SortedMap<String, String> args = DependencyArgs.forImage(image, built);
      LocalContext context =
          LocalContext.prepare(
              image.contextDir(),
              image.dockerfile(),
              image.target(),
              args,
              new TreeSet<>(),
              image.secrets(),
              who.cacheScope(),
              statCaches);
      built.put(image.name(), remote.run(image, context, args, namespace));
    }
    return new ArrayList<>(built.values());
  }

  /** Remote builds cannot mount secrets yet; fail before anything is uploaded. */
  private static void refuseSecrets(List<ImageSpec> images) {
    for (ImageSpec image : images) {
      if (!image.secrets().isEmpty()) {
        throw new InvalidInputException(
            image.location()
                + ": image '"
                + image.name()
                + "' uses secrets ("
                + String.join(", ", image.secrets().keySet())
                + "), but remote builds with secrets are not supported yet; remove secrets: from"
                + " the image to build it with kiln",
            "secrets");
      }
    }
  }

  private static String host(URI url) {
    return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }
}
