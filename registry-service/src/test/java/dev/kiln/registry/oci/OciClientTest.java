package dev.kiln.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.image.Digest;
import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.testing.FakeRegistry;
import dev.kiln.registry.testing.FakeRegistry.Reply;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Image;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OciClientTest {

  private static final String PATH = "/v2/kiln/api/manifests/abc";

  private final Image image = TestContent.ociImage("one", "amd64");
  private FakeRegistry registry;
  private OciClient client;
  private Repository repository;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    client = new OciClient(transport(registry, RegistryAuthenticator.anonymous()));
    repository = new Repository(registry.host(), "kiln/api");
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  static RegistryTransport transport(FakeRegistry registry, RegistryAuthenticator auth) {
    return new RegistryTransport(
        RegistryTransport.defaultHttpClient(Duration.ofSeconds(2)),
        Set.of(registry.host()),
        auth,
        Duration.ofSeconds(5));
  }

  @Test
  void headAsksForAllFourManifestMediaTypesAndReadsTheDigestHeader() {
    registry.on(
        "HEAD",
        PATH,
        Reply.of(
            200,
            Map.of(
                "Docker-Content-Digest",
                image.digest().toString(),
                "Content-Type",
                ManifestMediaTypes.OCI_MANIFEST)));

    Optional<Descriptor> found = client.findManifest(repository, "abc");

    assertThat(found).isPresent();
    assertThat(found.get().digest()).isEqualTo(image.digest());
    assertThat(found.get().mediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    assertThat(registry.lines()).containsExactly("HEAD " + PATH);
    assertThat(registry.requests().get(0).header("Accept"))
        .contains(
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
  }

  @ParameterizedTest(name = "HEAD {0} falls back to GET")
  @ValueSource(ints = {405, 200})
  void headWithoutDigestFallsBackToGetAndHashesTheBody(int headStatus) {
    registry
        .on("HEAD", PATH, Reply.of(headStatus))
        .on("GET", PATH, new Reply(200, Map.of("Content-Type", image.mediaType()), image.bytes()));

    Descriptor found = client.resolveManifest(repository, "abc");

    assertThat(found.digest()).isEqualTo(image.digest());
    assertThat(found.mediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    assertThat(found.sizeBytes()).isEqualTo(image.bytes().length);
    assertThat(registry.lines()).containsExactly("HEAD " + PATH, "GET " + PATH);
    assertThat(registry.requests().get(1).header("Accept")).isEqualTo(ManifestMediaTypes.ACCEPT);
  }

  @Test
  void headWithAGenericContentTypeFallsBackToGet() {
    registry
        .on(
            "HEAD",
            PATH,
            Reply.of(
                200,
                Map.of(
                    "Docker-Content-Digest",
                    image.digest().toString(),
                    "Content-Type",
                    "application/json")))
        .on("GET", PATH, new Reply(200, Map.of("Content-Type", image.mediaType()), image.bytes()));

    assertThat(client.resolveManifest(repository, "abc").mediaType())
        .isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    assertThat(registry.lines()).containsExactly("HEAD " + PATH, "GET " + PATH);
  }

  @Test
  void getWithGenericContentTypeTakesTheMediaTypeFromTheManifest() {
    registry.on(
        "GET", PATH, new Reply(200, Map.of("Content-Type", "application/json"), image.bytes()));

    Manifest manifest = client.getManifest(repository, "abc");

    assertThat(manifest.mediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
    assertThat(manifest.bytes()).isEqualTo(image.bytes());
  }

  @Test
  void notFoundIsAbsentForFindAndManifestUnknownForResolve() {
    registry.on("HEAD", PATH, Reply.of(404));

    assertThat(client.findManifest(repository, "abc")).isEmpty();
    assertThatThrownBy(() -> client.resolveManifest(repository, "abc"))
        .isInstanceOf(ManifestUnknownException.class)
        .hasMessageContaining(registry.host() + "/kiln/api:abc");
  }

  @ParameterizedTest(name = "{0} is never absent")
  @ValueSource(ints = {401, 403, 429, 500, 502, 503})
  void failuresOtherThan404AreErrorsNeverAbsent(int status) {
    registry.on("HEAD", PATH, Reply.of(status));

    Class<? extends RegistryException> expected =
        switch (status) {
          case 401 -> RegistryUnauthorizedException.class;
          case 403 -> RegistryForbiddenException.class;
          default -> RegistryUnavailableException.class;
        };
    assertThatThrownBy(() -> client.findManifest(repository, "abc"))
        .isInstanceOf(expected)
        .hasMessageContaining("answered " + status);
  }

  @Test
  void registryErrorBodiesAreCarriedIntoTheMessage() {
    registry.on(
        "GET",
        PATH,
        Reply.json(
            401,
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"));

    assertThatThrownBy(() -> client.getManifest(repository, "abc"))
        .isInstanceOf(RegistryUnauthorizedException.class)
        .hasMessageContaining("UNAUTHORIZED: authentication required")
        .hasMessageContaining("KILN_REGISTRY_USERNAME")
        .satisfies(
            e ->
                assertThat(((RegistryException) e).registryErrors())
                    .containsExactly(new RegistryError("UNAUTHORIZED", "authentication required")));
  }

  @Test
  void anUnreachableRegistryIsUnavailable() throws Exception {
    String host = registry.host();
    registry.close();

    assertThatThrownBy(() -> client.findManifest(new Repository(host, "kiln/api"), "abc"))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("http://" + host);
  }

  @Test
  void contentThatDoesNotMatchTheRequestedDigestIsRejected() {
    Digest other = TestContent.ociImage("two", "amd64").digest();
    registry.on(
        "GET",
        "/v2/kiln/api/manifests/" + other,
        new Reply(200, Map.of("Content-Type", image.mediaType()), image.bytes()));

    assertThatThrownBy(() -> client.getManifest(repository, other.toString()))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("hashes to " + image.digest());
  }

  @Test
  void putSendsTheExactBytesWithTheirMediaType() {
    registry.on(
        "PUT",
        "/v2/kiln/api/manifests/v1",
        Reply.of(201, Map.of("Docker-Content-Digest", image.digest().toString())));
    Manifest manifest = new Manifest(image.bytes(), image.mediaType(), image.digest());

    Optional<Digest> stored = client.putManifest(repository, "v1", manifest);

    assertThat(stored).contains(image.digest());
    FakeRegistry.Request put = registry.requests().get(0);
    assertThat(put.body()).isEqualTo(image.bytes());
    assertThat(put.header("Content-Type")).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
  }
}
