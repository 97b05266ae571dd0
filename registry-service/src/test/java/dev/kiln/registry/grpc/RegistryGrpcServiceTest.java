package dev.kiln.registry.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.lookup.ManifestLookup;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.oci.BlobClient;
import dev.kiln.registry.oci.OciClient;
import dev.kiln.registry.oci.RegistryTransport;
import dev.kiln.registry.retag.Retagger;
import dev.kiln.registry.testing.FakeRegistry;
import dev.kiln.registry.testing.FakeRegistry.Reply;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.v1.ExistsRequest;
import dev.kiln.registry.v1.ExistsResponse;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.ResolveRequest;
import dev.kiln.registry.v1.RetagRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryGrpcServiceTest {

  private static final String PATH = "/v2/kiln/api/manifests/v1";

  private final Image image = TestContent.ociImage("one", "amd64");
  private FakeRegistry registry;
  private Server server;
  private ManagedChannel channel;
  private RegistryGrpc.RegistryBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    RegistryTransport transport =
        new RegistryTransport(
            RegistryTransport.defaultHttpClient(Duration.ofSeconds(2)),
            Set.of(registry.host()),
            RegistryAuthenticator.anonymous(),
            Duration.ofSeconds(5));
    OciClient manifests = new OciClient(transport);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new RegistryGrpcService(
                    new ManifestLookup(manifests),
                    new Retagger(manifests, new BlobClient(transport)),
                    RegistryMetrics.inMemory()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    stub = RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    registry.close();
  }

  @Test
  void existsAnswersTheDigestAndMediaTypeOfAPresentManifest() {
    registry.on(
        "HEAD",
        PATH,
        Reply.of(
            200,
            Map.of(
                "Docker-Content-Digest", image.digest().toString(),
                "Content-Type", image.mediaType())));

    ExistsResponse response = stub.exists(exists(ref("v1")));

    assertThat(response.getExists()).isTrue();
    assertThat(response.getDigest()).isEqualTo(image.digest().toString());
    assertThat(response.getMediaType()).isEqualTo(image.mediaType());
  }

  @Test
  void existsIsFalseOnlyWhenTheRegistrySaid404() {
    registry.on("HEAD", PATH, Reply.of(404));

    ExistsResponse response = stub.exists(exists(ref("v1")));

    assertThat(response.getExists()).isFalse();
    assertThat(response.getDigest()).isEmpty();
  }

  @ParameterizedTest(name = "registry {0} -> {1}")
  @CsvSource({
    "404, NOT_FOUND",
    "401, UNAUTHENTICATED",
    "403, PERMISSION_DENIED",
    "429, UNAVAILABLE",
    "500, UNAVAILABLE",
    "503, UNAVAILABLE"
  })
  void resolveMapsRegistryAnswersToTheContractStatusCodes(int httpStatus, Status.Code code) {
    registry.on("HEAD", PATH, Reply.of(httpStatus));

    assertThatThrownBy(
            () -> stub.resolve(ResolveRequest.newBuilder().setReference(ref("v1")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  @ParameterizedTest(name = "registry {0} -> {1}")
  @CsvSource({"401, UNAUTHENTICATED", "403, PERMISSION_DENIED", "500, UNAVAILABLE"})
  void existsNeverTurnsAFailureIntoFalse(int httpStatus, Status.Code code) {
    registry.on("HEAD", PATH, Reply.of(httpStatus));

    assertThatThrownBy(() -> stub.exists(exists(ref("v1"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  @Test
  void theRegistrysErrorMessageReachesTheStatusDescription() {
    registry.on(
        "GET",
        PATH,
        Reply.json(
            403,
            "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access is denied\"}]}"));

    assertThatThrownBy(
            () ->
                stub.retag(
                    RetagRequest.newBuilder().setSource(ref("v1")).setTarget(ref("v2")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription())
                  .contains("DENIED: requested access is denied");
            });
  }

  @ParameterizedTest(name = "{0} / {1} / {2}")
  @CsvSource({
    "'', kiln/api:v2, ''",
    "no-registry/api:v1, kiln/api:v2, ''",
    "kiln/api:v1, kiln/api@DIGEST, ''",
    "kiln/api:v1, kiln/api:v2, sha256:nothex"
  })
  void badReferencesAreInvalidArguments(String source, String target, String expected) {
    RetagRequest request =
        RetagRequest.newBuilder()
            .setSource(source.isEmpty() || source.startsWith("no-") ? source : ref(source))
            .setTarget(ref(target.replace("DIGEST", image.digest().toString())))
            .setExpectedDigest(expected)
            .build();

    assertThatThrownBy(() -> stub.retag(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(registry.requests()).isEmpty();
  }

  @Test
  void aSourceThatMovedIsAFailedPrecondition() {
    registry.on(
        "GET", PATH, new Reply(200, Map.of("Content-Type", image.mediaType()), image.bytes()));
    String other = TestContent.dockerImage("other").digest().toString();

    assertThatThrownBy(
            () ->
                stub.retag(
                    RetagRequest.newBuilder()
                        .setSource(ref("v1"))
                        .setTarget(ref("v2"))
                        .setExpectedDigest(other)
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }

  private ExistsRequest exists(String reference) {
    return ExistsRequest.newBuilder().setReference(reference).build();
  }

  /** A reference on the fake registry; a bare tag means a tag of kiln/api. */
  private String ref(String repositoryOrTag) {
    String path = repositoryOrTag.contains("/") ? repositoryOrTag : "kiln/api:" + repositoryOrTag;
    return registry.host() + "/" + path;
  }
}
