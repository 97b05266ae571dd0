package dev.kiln.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The manifest media types kiln reads and writes.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/media-types.md">OCI media
 *     types</a>
 */
public final class ManifestMediaTypes {

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** Without all four a registry may convert the manifest or answer 404 for an index. */
  public static final String ACCEPT =
      String.join(", ", List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST));

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  private static final Set<String> GENERIC = Set.of("", "application/json", "text/plain");

  private ManifestMediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return INDEXES.contains(mediaType);
  }

  /** Whether a Content-Type says nothing about which manifest format a body is. */
  static boolean isGeneric(String contentType) {
    return GENERIC.contains(stripParameters(contentType));
  }

  /**
   * The media type of a manifest: the response's Content-Type without parameters, or, when that is
   * missing or generic, the manifest's own {@code mediaType} field, or its shape (OCI allows
   * omitting the field).
   */
  static String detect(String contentType, JsonNode manifest) {
    if (!isGeneric(contentType)) {
      return stripParameters(contentType);
    }
    String field = manifest.path("mediaType").asText("");
    if (!field.isEmpty()) {
      return field;
    }
    return manifest.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
  }

  static String stripParameters(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
