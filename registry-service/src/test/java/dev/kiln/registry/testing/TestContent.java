package dev.kiln.registry.testing;

import dev.kiln.core.image.Digest;
import dev.kiln.registry.oci.ManifestMediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Hand-built OCI and Docker v2 content: a config and one layer per image, indexes over images. */
public final class TestContent {

  private TestContent() {}

  public record Blob(String mediaType, byte[] bytes) {

    public Digest digest() {
      return Digest.sha256(bytes);
    }

    String descriptorJson() {
      return "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d}"
          .formatted(mediaType, digest(), bytes.length);
    }
  }

  /** An image manifest with its blobs; {@code bytes} is the manifest exactly as pushed. */
  public record Image(String mediaType, byte[] bytes, Blob config, Blob layer, String arch) {

    public Digest digest() {
      return Digest.sha256(bytes);
    }

    public List<Blob> blobs() {
      return List.of(config, layer);
    }
  }

  public record Index(String mediaType, byte[] bytes, List<Image> children) {

    public Digest digest() {
      return Digest.sha256(bytes);
    }
  }

  public static Image ociImage(String seed, String arch) {
    return image(
        seed,
        arch,
        ManifestMediaTypes.OCI_MANIFEST,
        "application/vnd.oci.image.config.v1+json",
        "application/vnd.oci.image.layer.v1.tar");
  }

  public static Image dockerImage(String seed) {
    return image(
        seed,
        "amd64",
        ManifestMediaTypes.DOCKER_MANIFEST,
        "application/vnd.docker.container.image.v1+json",
        "application/vnd.docker.image.rootfs.diff.tar.gzip");
  }

  public static Index ociIndex(Image... children) {
    String manifests =
        List.of(children).stream()
            .map(
                child ->
                    ("{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d,"
                            + "\"platform\":{\"architecture\":\"%s\",\"os\":\"linux\"}}")
                        .formatted(
                            child.mediaType(), child.digest(), child.bytes().length, child.arch()))
            .collect(Collectors.joining(","));
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s]}"
            .formatted(ManifestMediaTypes.OCI_INDEX, manifests);
    return new Index(ManifestMediaTypes.OCI_INDEX, utf8(json), List.of(children));
  }

  private static Image image(
      String seed, String arch, String manifestType, String configType, String layerType) {
    // the layer's content does not matter to a registry; only its digest and size do
    Blob layer = new Blob(layerType, utf8("layer of " + seed + " for " + arch));
    String config =
        ("{\"architecture\":\"%s\",\"os\":\"linux\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}")
            .formatted(arch, layer.digest());
    Blob configBlob = new Blob(configType, utf8(config));
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":%s,\"layers\":[%s]}"
            .formatted(manifestType, configBlob.descriptorJson(), layer.descriptorJson());
    return new Image(manifestType, utf8(manifest), configBlob, layer, arch);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
