package dev.kiln.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.oci.ManifestMediaTypes;
import dev.kiln.registry.testing.RegistryProcess;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Blob;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestContent.Index;
import dev.kiln.registry.testing.TestPusher;
import dev.kiln.registry.v1.ExistsRequest;
import dev.kiln.registry.v1.ExistsResponse;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.ResolveRequest;
import dev.kiln.registry.v1.ResolveResponse;
import dev.kiln.registry.v1.RetagRequest;
import dev.kiln.registry.v1.RetagResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gRPC API over loopback against a real CNCF Distribution registry, with hand-built OCI and
 * Docker v2 content pushed through the bare HTTP API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryContractTest {

  private static final String HASH =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private final Image api = TestContent.ociImage("api", "amd64");
  private final Image legacy = TestContent.dockerImage("legacy");
  private final Index multi =
      TestContent.ociIndex(
          TestContent.ociImage("multi", "amd64"), TestContent.ociImage("multi", "arm64"));

  private RegistryProcess registry;
  private TestPusher pusher;
  private RegistryService service;
  private ManagedChannel channel;

  @BeforeAll
  void start() throws Exception {
    registry = RegistryProcess.start();
    pusher = new TestPusher(registry.host());
    pusher.push("kiln/api", HASH, api);
    pusher.push("kiln/legacy", HASH, legacy);
    pusher.push("kiln/multi", HASH, multi);

    service =
        new RegistryService(
            new RegistryService.Config(
                new InetSocketAddress("127.0.0.1", 0),
                Set.of(registry.host()),
                Optional.empty(),
                Duration.ofSeconds(30)));
    service.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", service.port()).usePlaintext().build();
  }

  @AfterAll
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (service != null) {
      service.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void existsIsTrueWithTheDigestForAPushedImage() {
    ExistsResponse response = stub().exists(exists(ref("kiln/api:" + HASH)));

    assertThat(response.getExists()).isTrue();
    assertThat(response.getDigest()).isEqualTo(api.digest().toString());
    assertThat(response.getMediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
  }

  @Test
  void existsIsFalseForAnAbsentTagAndAnAbsentRepository() {
    assertThat(stub().exists(exists(ref("kiln/api:nope"))).getExists()).isFalse();
    assertThat(stub().exists(exists(ref("nobody/nothing:" + HASH))).getExists()).isFalse();
  }

  @Test
  void resolveGivesDigestMediaTypeAndSizeOfIndexesAndManifests() {
    ResolveResponse index = stub().resolve(resolve(ref("kiln/multi:" + HASH)));
    ResolveResponse docker = stub().resolve(resolve(ref("kiln/legacy:" + HASH)));

    assertThat(index.getDigest()).isEqualTo(multi.digest().toString());
    assertThat(index.getMediaType()).isEqualTo(ManifestMediaTypes.OCI_INDEX);
    assertThat(index.getSizeBytes()).isEqualTo(multi.bytes().length);
    assertThat(docker.getDigest()).isEqualTo(legacy.digest().toString());
    assertThat(docker.getMediaType()).isEqualTo(ManifestMediaTypes.DOCKER_MANIFEST);
  }

  @Test
  void resolveOfAnAbsentManifestIsNotFound() {
    assertThatThrownBy(() -> stub().resolve(resolve(ref("kiln/api:nope"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void retagWithinARepositoryKeepsTheBytes() {
    RetagResponse response = stub().retag(retag("kiln/api:" + HASH, "kiln/api:latest", ""));

    assertThat(response.getDigest()).isEqualTo(api.digest().toString());
    HttpResponse<byte[]> stored = pusher.getManifest("kiln/api", "latest");
    assertThat(stored.body()).isEqualTo(api.bytes());
    assertThat(stored.headers().firstValue("Content-Type")).contains(api.mediaType());
  }

  @Test
  void retagAcrossRepositoriesMountsTheBlobs() {
    RetagResponse response =
        stub().retag(retag("kiln/api:" + HASH, "cindy/api:kiln", api.digest().toString()));

    assertThat(response.getDigest()).isEqualTo(api.digest().toString());
    assertThat(stub().resolve(resolve(ref("cindy/api:kiln"))).getDigest())
        .isEqualTo(api.digest().toString());
    for (Blob blob : api.blobs()) {
      assertThat(pusher.blobExists("cindy/api", blob.digest())).isTrue();
    }
  }

  @Test
  void retagOfAnIndexKeepsItsDigestAndBringsBothChildren() {
    RetagResponse response = stub().retag(retag("kiln/multi:" + HASH, "david/multi:kiln", ""));

    assertThat(response.getDigest()).isEqualTo(multi.digest().toString());
    assertThat(response.getMediaType()).isEqualTo(ManifestMediaTypes.OCI_INDEX);
    assertThat(pusher.getManifest("david/multi", "kiln").body()).isEqualTo(multi.bytes());
    for (Image child : multi.children()) {
      ResolveResponse resolved = stub().resolve(resolve(ref("david/multi@" + child.digest())));
      assertThat(resolved.getDigest()).isEqualTo(child.digest().toString());
      assertThat(resolved.getMediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    }
  }

  @Test
  void retagOfADockerV2ManifestKeepsItsMediaType() {
    RetagResponse response = stub().retag(retag("kiln/legacy:" + HASH, "cindy/legacy:kiln", ""));

    assertThat(response.getDigest()).isEqualTo(legacy.digest().toString());
    assertThat(response.getMediaType()).isEqualTo(ManifestMediaTypes.DOCKER_MANIFEST);
    HttpResponse<byte[]> stored = pusher.getManifest("cindy/legacy", "kiln");
    assertThat(stored.body()).isEqualTo(legacy.bytes());
    assertThat(stored.headers().firstValue("Content-Type"))
        .contains(ManifestMediaTypes.DOCKER_MANIFEST);
  }

  @Test
  void retagFromADigestReferenceMovesAnExistingTag() {
    stub().retag(retag("kiln/legacy:" + HASH, "erin/app:kiln", ""));

    stub().retag(retag("kiln/api@" + api.digest(), "erin/app:kiln", api.digest().toString()));

    assertThat(stub().resolve(resolve(ref("erin/app:kiln"))).getDigest())
        .isEqualTo(api.digest().toString());
  }

  @Test
  void retagWithAStaleExpectedDigestIsAFailedPreconditionAndWritesNothing() {
    assertThatThrownBy(
            () ->
                stub()
                    .retag(retag("kiln/api:" + HASH, "frank/api:kiln", legacy.digest().toString())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThat(stub().exists(exists(ref("frank/api:kiln"))).getExists()).isFalse();
  }

  @Test
  void retagOfAnAbsentSourceIsNotFound() {
    assertThatThrownBy(() -> stub().retag(retag("kiln/api:nope", "kiln/api:other", "")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void retagToAnotherRegistryCopiesTheBlobs() throws Exception {
    try (RegistryProcess other = RegistryProcess.start();
        RegistryService both =
            new RegistryService(
                new RegistryService.Config(
                    new InetSocketAddress("127.0.0.1", 0),
                    Set.of(registry.host(), other.host()),
                    Optional.empty(),
                    Duration.ofSeconds(30)))) {
      both.start();
      ManagedChannel toBoth =
          NettyChannelBuilder.forAddress("127.0.0.1", both.port()).usePlaintext().build();
      try {
        RetagResponse response =
            RegistryGrpc.newBlockingStub(toBoth)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .retag(
                    RetagRequest.newBuilder()
                        .setSource(ref("kiln/multi:" + HASH))
                        .setTarget(other.host() + "/mirror/multi:kiln")
                        .build());

        assertThat(response.getDigest()).isEqualTo(multi.digest().toString());
        TestPusher mirror = new TestPusher(other.host());
        assertThat(mirror.getManifest("mirror/multi", "kiln").body()).isEqualTo(multi.bytes());
        for (Image child : multi.children()) {
          for (Blob blob : child.blobs()) {
            assertThat(mirror.blobExists("mirror/multi", blob.digest())).isTrue();
          }
        }
      } finally {
        toBoth.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void anUnreachableRegistryIsUnavailableNotAbsent() {
    assertThatThrownBy(() -> stub().exists(exists("127.0.0.1:1/kiln/api:" + HASH)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private RegistryGrpc.RegistryBlockingStub stub() {
    return RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private String ref(String repositoryAndReference) {
    return registry.host() + "/" + repositoryAndReference;
  }

  private static ExistsRequest exists(String reference) {
    return ExistsRequest.newBuilder().setReference(reference).build();
  }

  private static ResolveRequest resolve(String reference) {
    return ResolveRequest.newBuilder().setReference(reference).build();
  }

  private RetagRequest retag(String source, String target, String expectedDigest) {
    return RetagRequest.newBuilder()
        .setSource(ref(source))
        .setTarget(ref(target))
        .setExpectedDigest(expectedDigest)
        .build();
  }
}
