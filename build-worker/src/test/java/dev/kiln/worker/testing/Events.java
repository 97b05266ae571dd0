package dev.kiln.worker.testing;

import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildParams;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.ContextRef;

/** Build events as the hash-service publishes them. */
public final class Events {
  public static final String HASH =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  public static final String CONTEXT =
      "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  public static final String REGISTRY = "127.0.0.1:5100";
  public static final String CACHE_REF = REGISTRY + "/kiln/api:" + HASH;

  private Events() {}

  /** A verified request with an uploaded context, Smart Builds on, no --no-cache. */
  public static BuildHashed.Builder hashed(String requestId) {
    return BuildHashed.newBuilder()
        .setHash(HASH)
        .setVerified(true)
        .setRequest(
            BuildRequested.newBuilder()
                .setRequestId(requestId)
                .setOrg("acme")
                .setNamespace("cindy")
                .setImage("api")
                .setTag("kiln")
                .setSequence(7)
                .setParams(BuildParams.newBuilder().setDockerfile("Dockerfile"))
                .setContext(ContextRef.newBuilder().setTarDigest(CONTEXT))
                .setClientHash(HASH)
                .setSmartBuilds(true)
                .setCacheNamespace("kiln")
                .setRegistry(REGISTRY)
                .setRequestedAtMillis(1_700_000_000_000L));
  }

  /** A client-hash lookup: no context, unverified hash. */
  public static BuildHashed.Builder lookupOnly(String requestId) {
    BuildHashed.Builder event = hashed(requestId).setVerified(false);
    event.getRequestBuilder().clearContext();
    return event;
  }
}
