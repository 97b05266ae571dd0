package dev.kiln.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a manifest points at, which must exist in a repository before the manifest can be pushed
 * there: child manifests of an index, or the config and layer blobs of an image manifest.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">image
 *     manifest</a>
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">image
 *     index</a>
 */
public record ManifestReferences(List<Descriptor> manifests, List<Descriptor> blobs) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ManifestReferences {
    manifests = List.copyOf(manifests);
    blobs = List.copyOf(blobs);
  }

  public static ManifestReferences of(Manifest manifest) {
    JsonNode json = parseJson(manifest.bytes(), "manifest " + manifest.digest());
    String type = manifest.mediaType();
    if (ManifestMediaTypes.isIndex(type)) {
      return new ManifestReferences(descriptors(json.path("manifests"), manifest), List.of());
    }
    if (!type.equals(ManifestMediaTypes.OCI_MANIFEST)
        && !type.equals(ManifestMediaTypes.DOCKER_MANIFEST)) {
      throw new RegistryProtocolException(
          "tried to read the references of manifest "
              + manifest.digest()
              + " but its media type "
              + type
              + " is not an OCI or Docker v2 manifest or index; push the image in one of those"
              + " formats");
    }
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(descriptor(json.path("config"), manifest));
    for (Descriptor layer : descriptors(json.path("layers"), manifest)) {
      // foreign (non-distributable) layers live at their URLs, not in the registry
      if (!layer.mediaType().contains("foreign")
          && !layer.mediaType().contains("nondistributable")) {
        blobs.add(layer);
      }
    }
    return new ManifestReferences(List.of(), blobs);
  }

  static JsonNode parseJson(byte[] bytes, String what) {
    try {
      JsonNode json = JSON.readTree(bytes);
      if (json == null || !json.isObject()) {
        throw new IOException("not a JSON object");
      }
      return json;
    } catch (IOException e) {
      throw new RegistryProtocolException(
          "tried to parse " + what + " but it is not valid JSON (" + e.getMessage() + ")",
          0,
          List.of(),
          e);
    }
  }

  private static List<Descriptor> descriptors(JsonNode array, Manifest manifest) {
    List<Descriptor> result = new ArrayList<>();
    for (JsonNode node : array) {
      result.add(descriptor(node, manifest));
    }
    return result;
  }

  private static Descriptor descriptor(JsonNode node, Manifest manifest) {
    try {
      return new Descriptor(
          node.path("mediaType").asText(""),
          Digest.parse(node.path("digest").asText("")),
          node.path("size").asLong(-1));
    } catch (RuntimeException e) {
      throw new RegistryProtocolException(
          "tried to read the references of manifest "
              + manifest.digest()
              + " but a descriptor has no valid digest ("
              + e.getMessage()
              + "); the manifest is malformed",
          0,
          List.of(),
          e);
    }
  }
}
