package dev.kiln.registry.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.image.Digest;
import dev.kiln.core.image.ImageRef;
import dev.kiln.registry.lookup.ManifestLookup;
import dev.kiln.registry.lookup.ManifestLookup.Absent;
import dev.kiln.registry.lookup.ManifestLookup.Incomplete;
import dev.kiln.registry.lookup.ManifestLookup.Present;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.oci.Descriptor;
import dev.kiln.registry.oci.ManifestUnknownException;
import dev.kiln.registry.oci.Repository;
import dev.kiln.registry.retag.Retagger;
import dev.kiln.registry.v1.ExistsRequest;
import dev.kiln.registry.v1.ExistsResponse;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.ResolveRequest;
import dev.kiln.registry.v1.ResolveResponse;
import dev.kiln.registry.v1.RetagRequest;
import dev.kiln.registry.v1.RetagResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kiln.registry.v1.Registry} gRPC API over {@link ManifestLookup} and {@link Retagger}.
 * Every call is measured and ends with the caller: cancelling it interrupts its registry requests.
 */
public final class RegistryGrpcService extends RegistryGrpc.RegistryImplBase {

  private static final Logger log = LoggerFactory.getLogger(RegistryGrpcService.class);
  private static final TextFormat.Printer ONE_LINE = TextFormat.printer().emittingSingleLine(true);

  private final ManifestLookup lookup;
  private final Retagger retagger;
  private final RegistryMetrics metrics;

  public RegistryGrpcService(ManifestLookup lookup, Retagger retagger, RegistryMetrics metrics) {
    this.lookup = lookup;
    this.retagger = retagger;
    this.metrics = metrics;
  }

  @Override
  public void exists(ExistsRequest request, StreamObserver<ExistsResponse> observer) {
    answer(
        "exists",
        "Exists " + request.getReference(),
        observer,
        () -> {
          ImageRef ref = parse("reference", request.getReference());
          ExistsResponse.Builder response = ExistsResponse.newBuilder();
          switch (lookup.status(Repository.of(ref), ref.manifestReference())) {
            case Present present ->
                response
                    .setExists(true)
                    .setDigest(present.descriptor().digest().toString())
                    .setMediaType(present.descriptor().mediaType());
            case Incomplete incomplete -> {
              log.warn(
                  "Exists {}: index {} counts as missing because its child manifest {} is gone",
                  ref,
                  incomplete.index().digest(),
                  incomplete.missingChild());
              response.setExists(false);
            }
            case Absent absent -> response.setExists(false);
          }
          return response.build();
        });
  }

  @Override
  public void resolve(ResolveRequest request, StreamObserver<ResolveResponse> observer) {
    answer(
        "resolve",
        "Resolve " + request.getReference(),
        observer,
        () -> {
          ImageRef ref = parse("reference", request.getReference());
          Repository repository = Repository.of(ref);
          Descriptor d =
              switch (lookup.status(repository, ref.manifestReference())) {
                case Present present -> present.descriptor();
                case Incomplete incomplete -> {
                  log.warn(
                      "Resolve {}: index {} is missing its child manifest {}",
                      ref,
                      incomplete.index().digest(),
                      incomplete.missingChild());
                  throw ManifestLookup.incomplete(
                      "resolve " + ref,
                      repository,
                      incomplete.index().digest(),
                      incomplete.missingChild());
                }
                case Absent absent ->
                    throw new ManifestUnknownException(
                        "tried to resolve "
                            + ref
                            + " but the registry has no such manifest (404); check the reference,"
                            + " or push the image first",
                        404,
                        java.util.List.of(),
                        null);
              };
          return ResolveResponse.newBuilder()
              .setDigest(d.digest().toString())
              .setMediaType(d.mediaType())
              .setSizeBytes(d.sizeBytes())
              .build();
        });
  }

  @Override
  public void retag(RetagRequest request, StreamObserver<RetagResponse> observer) {
    answer(
        "retag",
        "Retag " + request.getSource() + " -> " + request.getTarget(),
        observer,
        () -> {
          ImageRef source = parse("source", request.getSource());
          ImageRef target = parse("target", request.getTarget());
          Optional<Digest> expected =
              request.getExpectedDigest().isEmpty()
                  ? Optional.empty()
                  : Optional.of(parseDigest(request.getExpectedDigest()));
          Descriptor d = retagger.retag(source, target, expected);
          return RetagResponse.newBuilder()
              .setDigest(d.digest().toString())
              .setMediaType(d.mediaType())
              .build();
        });
  }

  private <T extends Message> void answer(
      String method, String call, StreamObserver<T> observer, Supplier<T> work) {
    long start = System.nanoTime();
    T response;
    try {
      response = CancellationGuard.run(work);
    } catch (RuntimeException e) {
      Status status = StatusMapper.toStatus(e);
      metrics.rpc(method, status.getCode().name().toLowerCase(Locale.ROOT), elapsed(start));
      if (status.getCode() == Status.Code.INTERNAL) {
        log.warn("{} failed: {}", call, status.getDescription(), e);
      } else {
        log.debug("{} failed with {}: {}", call, status.getCode(), status.getDescription());
      }
      observer.onError(status.asRuntimeException());
      return;
    }
    boolean absent = response instanceof ExistsResponse exists && !exists.getExists();
    metrics.rpc(method, absent ? "absent" : "ok", elapsed(start));
    if (log.isDebugEnabled()) {
      log.debug("{} answered {}", call, ONE_LINE.printToString(response));
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private static long elapsed(long startNanos) {
    return System.nanoTime() - startNanos;
  }

  private static ImageRef parse(String field, String value) {
    if (value.isBlank()) {
      throw new InvalidInputException(
          "the "
              + field
              + " reference is empty; write host[:port]/repository:tag or"
              + " host[:port]/repository@sha256:<hex>");
    }
    return ImageRef.parse(value);
  }

  private static Digest parseDigest(String value) {
    try {
      return Digest.parse(value);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          "expected_digest '" + value + "' is not a digest; write sha256:<64 lowercase hex>");
    }
  }
}
