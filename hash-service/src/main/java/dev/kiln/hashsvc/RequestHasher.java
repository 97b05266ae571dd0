package dev.kiln.hashsvc;

import dev.kiln.core.KilnException;
import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import dev.kiln.core.store.ContextStore;
import dev.kiln.events.v1.BuildArg;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildParams;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.ContextRef;
import dev.kiln.events.v1.Outcome;
import dev.kiln.events.v1.SecretRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns one {@code build.requested} event into either a {@code build.hashed} event or, when the
 * request cannot be hashed, a {@code build.completed} failure that says why.
 */
public final class RequestHasher {

  /** What hashing one request produced: exactly one of the two is non-null. */
  public record Result(BuildHashed hashed, BuildCompleted failed) {}

  private final ContextStore store;
  private final BuildHasher hasher;
  private final Clock clock;

  public RequestHasher(ContextStore store, BuildHasher hasher, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
  }

  public Result hash(BuildRequested request) {
    ContextRef context = request.hasContext() ? request.getContext() : null;
    if (context == null || context.getSourceCase() == ContextRef.SourceCase.SOURCE_NOT_SET) {
      return passClientHash(request);
    }
    if (context.getSourceCase() == ContextRef.SourceCase.GIT) {
      return failed(
          request,
          "git contexts are not supported yet; upload the context as an archive"
              + " (kiln build does this)");
    }
    try {
      Digest digest = Digest.parse(context.getTarDigest());
      BuildHash hash;
      try (InputStream tar = store.open(digest)) {
        hash = hasher.hashArchive(tar, inputsOf(request));
      }
      return new Result(
          BuildHashed.newBuilder()
              .setRequest(request)
              .setHash(hash.toString())
              .setVerified(true)
              .build(),
          null);
    } catch (KilnException e) {
      return failed(request, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return failed(
          request,
          "tried to read the context " + context.getTarDigest() + " but failed: " + e.getMessage());
    }
  }

  private Result passClientHash(BuildRequested request) {
    if (request.getClientHash().isEmpty()) {
      return failed(request, "the request has neither a context nor a client hash; send either");
    }
    try {
      BuildHash.parse(request.getClientHash());
    } catch (KilnException e) {
      return failed(request, e.getMessage());
    }
    return new Result(
        BuildHashed.newBuilder()
            .setRequest(request)
            .setHash(request.getClientHash())
            .setVerified(false)
            .build(),
        null);
  }

  /** The hash inputs of a request, the same ones the CLI feeds {@link BuildHasher}. */
  static BuildInputs inputsOf(BuildRequested request) {
    BuildParams params = request.getParams();
    TreeMap<String, String> args = new TreeMap<>();
    for (BuildArg arg : params.getArgsList()) {
      args.put(arg.getName(), arg.getValue());
    }
    TreeMap<String, String> secrets = new TreeMap<>();
    for (SecretRef secret : params.getSecretsList()) {
      secrets.put(secret.getId(), secret.getValueSha256());
    }
    return new BuildInputs(
        params.getDockerfile(),
        params.getTarget(),
        args,
        new TreeSet<>(params.getPlatformsList()),
        secrets,
        request.getOrg() + "/" + request.getCacheNamespace());
  }

  private Result failed(BuildRequested request, String reason) {
    return new Result(
        null,
        BuildCompleted.newBuilder()
            .setRequestId(request.getRequestId())
            .setOrg(request.getOrg())
            .setNamespace(request.getNamespace())
            .setImage(request.getImage())
            .setTag(request.getTag())
            .setSequence(request.getSequence())
            .setOutcome(Outcome.FAILED)
            .setHash(request.getClientHash())
            .setRegistry(request.getRegistry())
            .setError(reason)
            .setCompletedAtMillis(clock.millis())
            .build());
  }
}
