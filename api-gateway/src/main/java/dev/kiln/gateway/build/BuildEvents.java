package dev.kiln.gateway.build;

import dev.kiln.events.v1.BuildArg;
import dev.kiln.events.v1.BuildParams;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.ContextRef;
import dev.kiln.events.v1.SecretRef;
import java.time.Instant;
import java.util.Map;

/** Turns a build record into the {@code build.requested} event the pipeline works on. */
public final class BuildEvents {
  private BuildEvents() {}

  public static BuildRequested requested(BuildRecord build, Instant requestedAt) {
    BuildParameters params = build.params();
    BuildParams.Builder eventParams =
        BuildParams.newBuilder()
            .setDockerfile(params.dockerfile())
            .setTarget(params.target())
            .addAllPlatforms(params.platforms())
            .setNoCache(build.noCache());
    for (Map.Entry<String, String> arg : params.args().entrySet()) {
      eventParams.addArgs(BuildArg.newBuilder().setName(arg.getKey()).setValue(arg.getValue()));
    }
    for (Map.Entry<String, String> secret : params.secrets().entrySet()) {
      eventParams.addSecrets(
          SecretRef.newBuilder().setId(secret.getKey()).setValueSha256(secret.getValue()));
    }
    BuildRequested.Builder event =
        BuildRequested.newBuilder()
            .setRequestId(build.id().toString())
            .setOrg(build.org())
            .setNamespace(build.namespace())
            .setImage(build.image())
            .setTag(build.tag())
            .setSequence(build.sequence())
            .setParams(eventParams)
            .setSmartBuilds(build.smartBuilds())
            .setCacheNamespace(build.cacheNamespace())
            .setRegistry(build.registry())
            .setRequestedAtMillis(requestedAt.toEpochMilli());
    if (build.clientHash() != null) {
      event.setClientHash(build.clientHash().hex());
    }
    if (build.contextDigest() != null) {
      event.setContext(ContextRef.newBuilder().setTarDigest(build.contextDigest().toString()));
    }
    return event.build();
  }
}
