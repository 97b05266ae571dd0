package dev.kiln.registry.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.image.Digest;
import dev.kiln.core.image.ImageRef;
import dev.kiln.registry.oci.Descriptor;
import dev.kiln.registry.oci.OciClient;
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
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code kiln.registry.v1.Registry} gRPC API over {@link OciClient} and {@link Retagger}. */
public final class RegistryGrpcService extends RegistryGrpc.RegistryImplBase {

  private static final Logger log = LoggerFactory.getLogger(RegistryGrpcService.class);
  private static final TextFormat.Printer ONE_LINE = TextFormat.printer().emittingSingleLine(true);

  private final OciClient manifests;
  private final Retagger retagger;

  public RegistryGrpcService(OciClient manifests, Retagger retagger) {
    this.manifests = manifests;
    this.retagger = retagger;
  }

  @Override
  public void exists(ExistsRequest request, StreamObserver<ExistsResponse> observer) {
    answer(
        "Exists " + request.getReference(),
        observer,
        () -> {
          ImageRef ref = parse("reference", request.getReference());
          Optional<Descriptor> found =
              manifests.findManifest(Repository.of(ref), ref.manifestReference());
          ExistsResponse.Builder response =
              ExistsResponse.newBuilder().setExists(found.isPresent());
          found.ifPresent(
              d -> response.setDigest(d.digest().toString()).setMediaType(d.mediaType()));
          return response.build();
        });
  }

  @Override
  public void resolve(ResolveRequest request, StreamObserver<ResolveResponse> observer) {
    answer(
        "Resolve " + request.getReference(),
        observer,
        () -> {
          ImageRef ref = parse("reference", request.getReference());
          Descriptor d = manifests.resolveManifest(Repository.of(ref), ref.manifestReference());
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

  private static <T extends Message> void answer(
      String call, StreamObserver<T> observer, Supplier<T> work) {
    T response;
    try {
      response = work.get();
    } catch (RuntimeException e) {
      Status status = StatusMapper.toStatus(e);
      if (status.getCode() == Status.Code.INTERNAL) {
        log.warn("{} failed: {}", call, status.getDescription(), e);
      } else {
        log.debug("{} failed with {}: {}", call, status.getCode(), status.getDescription());
      }
      observer.onError(status.asRuntimeException());
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug("{} answered {}", call, ONE_LINE.printToString(response));
    }
    observer.onNext(response);
    observer.onCompleted();
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
