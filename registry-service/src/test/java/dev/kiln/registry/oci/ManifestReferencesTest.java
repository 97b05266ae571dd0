package dev.kiln.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.image.Digest;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestContent.Index;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestReferencesTest {

  @Test
  void anImageManifestReferencesItsConfigAndLayers() {
    Image image = TestContent.dockerImage("x");

    ManifestReferences refs = ManifestReferences.of(manifest(image.bytes(), image.mediaType()));

    assertThat(refs.manifests()).isEmpty();
    assertThat(refs.blobs())
        .extracting(Descriptor::digest)
        .containsExactly(image.config().digest(), image.layer().digest());
  }

  @Test
  void anIndexReferencesItsChildManifests() {
    Index index =
        TestContent.ociIndex(
            TestContent.ociImage("a", "amd64"), TestContent.ociImage("a", "arm64"));

    ManifestReferences refs = ManifestReferences.of(manifest(index.bytes(), index.mediaType()));

    assertThat(refs.blobs()).isEmpty();
    assertThat(refs.manifests())
        .extracting(Descriptor::digest)
        .containsExactlyElementsOf(index.children().stream().map(Image::digest).toList());
  }

  @Test
  void foreignLayersAreNotCopied() {
    String json =
        """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
         "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,
                   "digest":"sha256:%s"},
         "layers":[{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                    "size":5,"digest":"sha256:%s","urls":["https://example.invalid/l"]}]}
        """
            .formatted("a".repeat(64), "b".repeat(64));

    ManifestReferences refs =
        ManifestReferences.of(manifest(utf8(json), ManifestMediaTypes.DOCKER_MANIFEST));

    assertThat(refs.blobs()).extracting(d -> d.digest().hex()).containsExactly("a".repeat(64));
  }

  @Test
  void otherManifestFormatsAreRejectedWithTheirMediaType() {
    String type = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    assertThatThrownBy(() -> ManifestReferences.of(manifest(utf8("{}"), type)))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining(type);
  }

  @Test
  void aDescriptorWithoutValidDigestIsAProtocolError() {
    String json = "{\"mediaType\":\"" + ManifestMediaTypes.OCI_INDEX + "\",\"manifests\":[{}]}";

    assertThatThrownBy(
            () -> ManifestReferences.of(manifest(utf8(json), ManifestMediaTypes.OCI_INDEX)))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("malformed");
  }

  private static Manifest manifest(byte[] bytes, String mediaType) {
    return new Manifest(bytes, mediaType, Digest.sha256(bytes));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
