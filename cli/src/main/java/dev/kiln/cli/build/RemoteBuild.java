package dev.kiln.cli.build;

import dev.kiln.cli.console.BuildEventRenderer;
import dev.kiln.cli.console.Console;
import dev.kiln.cli.gateway.BuildCreated;
import dev.kiln.cli.gateway.BuildRequest;
import dev.kiln.cli.gateway.BuildState;
import dev.kiln.cli.gateway.GatewayClient;
import dev.kiln.cli.gateway.GatewayException;
import dev.kiln.cli.manifest.ImageSpec;
import dev.kiln.cli.sse.SseFollower;
import dev.kiln.core.KilnException;
import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Builds one image remotely (docs/architecture.md, "The build flow"): asks with the client hash
 * only and uploads the context on NEEDS_CONTEXT, or uploads first when Smart Builds is off or
 * {@code --no-cache} is set; follows the event stream until the build ends.
 */
final class RemoteBuild {
  private final GatewayClient gateway;
  private final SseFollower follower;
  private final Console console;
  private final BuildSettings settings;
  private final Path tempDir;

  RemoteBuild(
      GatewayClient gateway,
      SseFollower follower,
      Console console,
      BuildSettings settings,
      Path tempDir) {
    this.gateway = gateway;
    this.follower = follower;
    this.console = console;
    this.settings = settings;
    this.tempDir = tempDir;
  }

  /**
   * @param args the image's build arguments, including those of its dependencies
   * @throws ReportedFailure when the build failed; the failure line is already printed
   */
  BuiltImage run(
      ImageSpec image, LocalContext context, SortedMap<String, String> args, String namespace) {
    BuildEventRenderer renderer =
        new BuildEventRenderer(
            console, settings.progress(), image.name(), image.displayPath(), gateway.json());
    try {
      return build(image, context, args, namespace, renderer);
    } catch (ReportedFailure e) {
      throw e;
    } catch (KilnException e) {
      console.failure("Build of \"" + image.name() + "\" failed: " + e.getMessage());
      throw new ReportedFailure(e.getMessage(), e);
    }
  }

  private BuiltImage build(
      ImageSpec image,
      LocalContext context,
      SortedMap<String, String> args,
      String namespace,
      BuildEventRenderer renderer) {
    BuildCreated created;
    boolean uploaded = false;
    if (settings.skipWithoutUpload()) {
      created = gateway.createBuild(request(image, context, args, namespace, null));
    } else {
      try (PackedContext packed = context.pack(tempDir)) {
        gateway.uploadContext(packed.digest(), packed.file(), null);
        created = gateway.createBuild(request(image, context, args, namespace, packed.digest()));
      }
      uploaded = true;
    }

    String lastEventId = null;
    while (true) {
      FinalState end = follow(created.id(), image.name(), lastEventId, renderer);
      lastEventId = end.lastEventId();
      BuildState state = end.state();
      switch (state.state()) {
        case BuildState.SUCCEEDED -> {
          if (state.digest() == null || state.cacheRef() == null) {
            // dependents need both to name the image by digest
            throw new KilnException(
                "the gateway reported build "
                    + created.id()
                    + " as succeeded but sent no digest or cache reference; check the gateway's"
                    + " version and log");
          }
          return new BuiltImage(
              image.name(),
              state.imageRef(),
              state.cacheRef(),
              Digest.parse(state.digest()),
              state.skipped());
        }
        case BuildState.FAILED ->
            throw new ReportedFailure("build " + created.id() + " failed: " + state.error(), null);
        case BuildState.NEEDS_CONTEXT -> {
          if (uploaded) {
            throw new KilnException(
                "the gateway asked again for the context of build "
                    + created.id()
                    + " after it was uploaded; retry, and report it if it happens again");
          }
          try (PackedContext packed = context.pack(tempDir)) {
            gateway.uploadContext(packed.digest(), packed.file(), created.id());
            gateway.attachContext(created.id(), packed.digest());
          }
          uploaded = true;
        }
        default -> throw new IllegalStateException("the stream ended on " + state.state());
      }
    }
  }

  private record FinalState(BuildState state, String lastEventId) {}

  private FinalState follow(
      String buildId, String image, String lastEventId, BuildEventRenderer renderer) {
    BuildState[] last = new BuildState[1];
    String action = "follow build " + buildId + " of '" + image + "'";
    String lastId =
        follower.follow(
            lastId1 -> gateway.eventsRequest(buildId, lastId1),
            lastEventId,
            event -> {
              renderer.render(event).ifPresent(state -> last[0] = state);
              return last[0] != null && last[0].endsStream();
            },
            new SseFollower.Failures() {
              @Override
              public RuntimeException status(int status, String body) {
                return gateway.statusError(action, status, body);
              }

              @Override
              public RuntimeException transport(IOException error) {
                return gateway.transportError(action, error);
              }

              @Override
              public RuntimeException silent(Duration idleTimeout) {
                return new GatewayException(
                    "tried to "
                        + action
                        + " but no event arrived for "
                        + Durations.describe(idleTimeout)
                        + "; check the kiln services (scripts/services.sh status) or raise"
                        + " KILN_BUILD_TIMEOUT",
                    0,
                    null);
              }
            });
    return new FinalState(last[0], lastId);
  }

  private BuildRequest request(
      ImageSpec image,
      LocalContext context,
      SortedMap<String, String> args,
      String namespace,
      Digest contextDigest) {
    BuildRequest.Params params =
        new BuildRequest.Params(image.dockerfile(), image.target(), args, List.of(), Map.of());
    return new BuildRequest(
        namespace,
        image.name(),
        settings.tag(),
        params,
        settings.noCache(),
        settings.smartBuilds(),
        context.hash().toString(),
        contextDigest == null ? null : contextDigest.toString());
  }
}
