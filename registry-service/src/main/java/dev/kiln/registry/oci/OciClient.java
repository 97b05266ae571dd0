package dev.kiln.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.image.Digest;
import dev.kiln.registry.auth.AuthScope;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manifest half of the OCI Distribution API: look up, fetch and push manifests. Blobs are in
 * {@link BlobClient}.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI
 *     distribution spec</a>
 */
public final class OciClient {

  private static final String DIGEST_HEADER = "Docker-Content-Digest";

  private final RegistryTransport transport;

  public OciClient(RegistryTransport transport) {
    this.transport = transport;
  }

  /**
   * The descriptor of a manifest, or empty when the registry answered 404. Any other failure (401,
   * 403, 429, 5xx, timeouts) throws: "could not tell" is never "absent".
   */
  public Optional<Descriptor> findManifest(Repository repository, String reference) {
    String action = "look up manifest " + repository.display(reference);
    RegistryResponse head =
        transport.exchange(
            RegistryRequest.of(
                "HEAD",
                transport.uri(repository.registry(), repository.path("manifests", reference)),
                AuthScope.pull(repository.registry(), repository.name()),
                "manifest.head",
                action,
                Map.of("Accept", ManifestMediaTypes.ACCEPT)));
    int status = head.status();
    if (status == 404) {
      return Optional.empty();
    }
    String contentType = head.header("Content-Type").orElse("");
    boolean usable =
        isSuccess(status)
            && head.header(DIGEST_HEADER).isPresent()
            && !ManifestMediaTypes.isGeneric(contentType);
    if (status == 405 || (isSuccess(status) && !usable)) {
      // some registries do not answer HEAD, or omit the digest: the body tells everything
      try {
        return Optional.of(getManifest(repository, reference).descriptor());
      } catch (ManifestUnknownException e) {
        return Optional.empty();
      }
    }
    if (!isSuccess(status)) {
      throw RegistryFailures.of(action, head);
    }
    Digest digest = parseDigest(head.header(DIGEST_HEADER).orElseThrow(), action);
    if (isDigest(reference) && !digest.toString().equals(reference)) {
      throw new RegistryProtocolException(
          "tried to " + action + " but the registry answered for digest " + digest + " instead");
    }
    long size = head.header("Content-Length").map(OciClient::parseSize).orElse(-1L);
    return Optional.of(
        new Descriptor(ManifestMediaTypes.stripParameters(contentType), digest, size));
  }

  /** The descriptor of a manifest; throws {@link ManifestUnknownException} when absent. */
  public Descriptor resolveManifest(Repository repository, String reference) {
    return findManifest(repository, reference)
        .orElseThrow(() -> unknown("resolve " + repository.display(reference), List.of()));
  }

  /** The manifest's exact bytes; throws {@link ManifestUnknownException} when absent. */
  public Manifest getManifest(Repository repository, String reference) {
    String action = "get manifest " + repository.display(reference);
    RegistryResponse response =
        transport.exchange(
            RegistryRequest.of(
                "GET",
                transport.uri(repository.registry(), repository.path("manifests", reference)),
                AuthScope.pull(repository.registry(), repository.name()),
                "manifest.get",
                action,
                Map.of("Accept", ManifestMediaTypes.ACCEPT)));
    if (response.status() == 404) {
      throw unknown(action, RegistryFailures.errors(response.body()));
    }
    if (!isSuccess(response.status())) {
      throw RegistryFailures.of(action, response);
    }

    byte[] bytes = response.body();
    Digest computed = Digest.sha256(bytes);
    Optional<Digest> announced =
        response.header(DIGEST_HEADER).map(header -> parseDigest(header, action));
    Digest expected =
        isDigest(reference) ? parseDigest(reference, action) : announced.orElse(computed);
    Digest actual = expected.algorithm().equals("sha256") ? computed : hash(bytes, expected);
    if (!actual.equals(expected)) {
      throw new RegistryProtocolException(
          "tried to "
              + action
              + " but the manifest's content hashes to "
              + actual
              + ", not "
              + expected
              + "; the registry served corrupt or different content");
    }

    JsonNode json = ManifestReferences.parseJson(bytes, "manifest " + actual);
    String mediaType = ManifestMediaTypes.detect(response.header("Content-Type").orElse(""), json);
    return new Manifest(bytes, mediaType, actual);
  }

  /**
   * Pushes the manifest's bytes unchanged under {@code reference} (a tag or its own digest).
   *
   * @return the digest the registry says it stored, empty when it sent none
   */
  public Optional<Digest> putManifest(Repository repository, String reference, Manifest manifest) {
    String action = "push manifest " + manifest.digest() + " as " + repository.display(reference);
    RegistryResponse response =
        transport.exchange(
            new RegistryRequest(
                "PUT",
                transport.uri(repository.registry(), repository.path("manifests", reference)),
                AuthScope.push(repository.registry(), repository.name()),
                "manifest.put",
                action,
                Map.of("Content-Type", manifest.mediaType()),
                java.net.http.HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())));
    if (!isSuccess(response.status())) {
      throw RegistryFailures.of(action, response);
    }
    return response.header(DIGEST_HEADER).map(header -> parseDigest(header, action));
  }

  private static long parseSize(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  static boolean isDigest(String reference) {
    return reference.contains(":");
  }

  static Digest parseDigest(String value, String action) {
    try {
      return Digest.parse(value.trim());
    } catch (RuntimeException e) {
      throw new RegistryProtocolException(
          "tried to " + action + " but the registry sent an invalid digest '" + value + "'",
          0,
          List.of(),
          e);
    }
  }

  /** Digests other than sha256 are rare; hash with the algorithm the registry announced. */
  private static Digest hash(byte[] bytes, Digest like) {
    return Digests.of(like.algorithm(), bytes);
  }

  private static ManifestUnknownException unknown(String action, List<RegistryError> errors) {
    return new ManifestUnknownException(
        "tried to "
            + action
            + " but the registry has no such manifest (404"
            + (errors.isEmpty() ? "" : " " + errors)
            + "); check the reference, or push the image first",
        404,
        errors,
        null);
  }
}
