package dev.kiln.registry.retag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.image.Digest;
import dev.kiln.core.image.ImageRef;
import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.oci.BlobClient;
import dev.kiln.registry.oci.Descriptor;
import dev.kiln.registry.oci.DigestMismatchException;
import dev.kiln.registry.oci.OciClient;
import dev.kiln.registry.oci.RegistryProtocolException;
import dev.kiln.registry.oci.RegistryTransport;
import dev.kiln.registry.testing.FakeRegistry;
import dev.kiln.registry.testing.FakeRegistry.Reply;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Blob;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestContent.Index;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetaggerTest {

  private final Image image = TestContent.ociImage("one", "amd64");
  private FakeRegistry registry;
  private Retagger retagger;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    RegistryTransport transport =
        new RegistryTransport(
            RegistryTransport.defaultHttpClient(Duration.ofSeconds(2)),
            Set.of(registry.host()),
            RegistryAuthenticator.anonymous(),
            Duration.ofSeconds(5));
    retagger = new Retagger(new OciClient(transport), new BlobClient(transport));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void withinOneRepositoryOnlyTheManifestIsReadAndWritten() {
    serveManifest("/v2/kiln/api/manifests/" + hash(), image.mediaType(), image.bytes());
    acceptPut("/v2/kiln/api/manifests/latest", image.digest());

    Descriptor result =
        retagger.retag(ref("kiln/api:" + hash()), ref("kiln/api:latest"), Optional.empty());

    assertThat(result.digest()).isEqualTo(image.digest());
    assertThat(registry.lines())
        .containsExactly(
            "GET /v2/kiln/api/manifests/" + hash(), "PUT /v2/kiln/api/manifests/latest");
    FakeRegistry.Request put = registry.requests().get(1);
    assertThat(put.body()).isEqualTo(image.bytes());
    assertThat(put.header("Content-Type")).isEqualTo(image.mediaType());
  }

  @Test
  void acrossRepositoriesMissingBlobsAreMountedBeforeThePut() {
    serveManifest("/v2/kiln/api/manifests/" + hash(), image.mediaType(), image.bytes());
    for (Blob blob : image.blobs()) {
      registry.on("HEAD", "/v2/cindy/api/blobs/" + blob.digest(), Reply.of(404));
    }
    registry.on("POST", "/v2/cindy/api/blobs/uploads/", Reply.of(201));
    acceptPut("/v2/cindy/api/manifests/kiln", image.digest());

    retagger.retag(ref("kiln/api:" + hash()), ref("cindy/api:kiln"), Optional.of(image.digest()));

    assertThat(registry.lines())
        .containsExactly(
            "GET /v2/kiln/api/manifests/" + hash(),
            "HEAD /v2/cindy/api/blobs/" + image.config().digest(),
            "POST /v2/cindy/api/blobs/uploads/?mount="
                + encoded(image.config().digest())
                + "&from=kiln%2Fapi",
            "HEAD /v2/cindy/api/blobs/" + image.layer().digest(),
            "POST /v2/cindy/api/blobs/uploads/?mount="
                + encoded(image.layer().digest())
                + "&from=kiln%2Fapi",
            "PUT /v2/cindy/api/manifests/kiln");
    FakeRegistry.Request put = registry.requests().get(5);
    assertThat(put.body()).isEqualTo(image.bytes());
    assertThat(put.header("Content-Type")).isEqualTo(image.mediaType());
  }

  @Test
  void aRefusedMountFallsBackToCopyingTheBlobIntoTheOpenedUpload() {
    serveManifest("/v2/kiln/api/manifests/" + hash(), image.mediaType(), image.bytes());
    registry.on("HEAD", "/v2/cindy/api/blobs/" + image.config().digest(), Reply.of(200));
    registry.on("HEAD", "/v2/cindy/api/blobs/" + image.layer().digest(), Reply.of(404));
    registry.on(
        "POST",
        "/v2/cindy/api/blobs/uploads/",
        Reply.of(202, Map.of("Location", "/v2/cindy/api/blobs/uploads/u1?_state=s")));
    registry.on(
        "GET",
        "/v2/kiln/api/blobs/" + image.layer().digest(),
        new Reply(200, Map.of(), image.layer().bytes()));
    registry.on("PUT", "/v2/cindy/api/blobs/uploads/u1", Reply.of(201));
    acceptPut("/v2/cindy/api/manifests/kiln", image.digest());

    retagger.retag(ref("kiln/api:" + hash()), ref("cindy/api:kiln"), Optional.empty());

    FakeRegistry.Request upload =
        registry.requests().stream()
            .filter(r -> r.path().endsWith("/u1"))
            .findFirst()
            .orElseThrow();
    assertThat(upload.query()).isEqualTo("_state=s&digest=" + encoded(image.layer().digest()));
    assertThat(upload.body()).isEqualTo(image.layer().bytes());
    assertThat(registry.lines()).last().isEqualTo("PUT /v2/cindy/api/manifests/kiln");
  }

  @Test
  void anIndexGetsItsChildrenPushedByDigestBeforeItself() {
    Image arm = TestContent.ociImage("one", "arm64");
    Index index = TestContent.ociIndex(image, arm);
    serveManifest("/v2/kiln/api/manifests/" + hash(), index.mediaType(), index.bytes());
    for (Image child : index.children()) {
      registry.on("HEAD", "/v2/cindy/api/manifests/" + child.digest(), Reply.of(404));
      registry.on(
          "HEAD",
          "/v2/kiln/api/manifests/" + child.digest(),
          Reply.of(
              200,
              Map.of(
                  "Content-Type", child.mediaType(),
                  "Docker-Content-Digest", child.digest().toString())));
      serveManifest("/v2/kiln/api/manifests/" + child.digest(), child.mediaType(), child.bytes());
      for (Blob blob : child.blobs()) {
        registry.on("HEAD", "/v2/cindy/api/blobs/" + blob.digest(), Reply.of(200));
      }
      acceptPut("/v2/cindy/api/manifests/" + child.digest(), child.digest());
    }
    acceptPut("/v2/cindy/api/manifests/kiln", index.digest());

    Descriptor result =
        retagger.retag(ref("kiln/api:" + hash()), ref("cindy/api:kiln"), Optional.empty());

    assertThat(result.digest()).isEqualTo(index.digest());
    assertThat(registry.lines().stream().filter(line -> line.startsWith("PUT")))
        .containsExactly(
            "PUT /v2/cindy/api/manifests/" + image.digest(),
            "PUT /v2/cindy/api/manifests/" + arm.digest(),
            "PUT /v2/cindy/api/manifests/kiln");
    assertThat(registry.requests().getLast().body()).isEqualTo(index.bytes());
  }

  @Test
  void anUnexpectedSourceDigestFailsBeforeAnythingIsWritten() {
    serveManifest("/v2/kiln/api/manifests/" + hash(), image.mediaType(), image.bytes());
    Digest expected = TestContent.ociImage("two", "amd64").digest();

    assertThatThrownBy(
            () ->
                retagger.retag(
                    ref("kiln/api:" + hash()), ref("kiln/api:latest"), Optional.of(expected)))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(expected.toString())
        .hasMessageContaining(image.digest().toString());
    assertThat(registry.lines()).noneMatch(line -> line.startsWith("PUT"));
  }

  @Test
  void aRegistryStoringAnotherDigestFailsTheRetag() {
    serveManifest("/v2/kiln/api/manifests/" + hash(), image.mediaType(), image.bytes());
    acceptPut("/v2/kiln/api/manifests/latest", TestContent.dockerImage("x").digest());

    assertThatThrownBy(
            () ->
                retagger.retag(ref("kiln/api:" + hash()), ref("kiln/api:latest"), Optional.empty()))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("stored digest");
  }

  private void serveManifest(String path, String mediaType, byte[] bytes) {
    registry.on("GET", path, new Reply(200, Map.of("Content-Type", mediaType), bytes));
  }

  private void acceptPut(String path, Digest stored) {
    registry.on("PUT", path, Reply.of(201, Map.of("Docker-Content-Digest", stored.toString())));
  }

  private ImageRef ref(String repositoryAndTag) {
    return ImageRef.parse(registry.host() + "/" + repositoryAndTag);
  }

  private static String hash() {
    return "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  }

  private static String encoded(Digest digest) {
    return digest.toString().replace(":", "%3A");
  }
}
