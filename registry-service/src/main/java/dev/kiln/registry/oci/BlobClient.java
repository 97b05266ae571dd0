package dev.kiln.registry.oci;

import dev.kiln.core.image.Digest;
import dev.kiln.registry.auth.AuthScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blob half of the OCI Distribution API: presence, cross-repository mount, and a monolithic
 * copy through a local file.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs">
 *     pushing blobs</a>
 */
public final class BlobClient {

  private final RegistryTransport transport;

  public BlobClient(RegistryTransport transport) {
    this.transport = transport;
  }

  public boolean exists(Repository repository, Digest digest) {
    String action = "check blob " + repository.display(digest.toString());
    RegistryResponse response =
        transport.exchange(
            RegistryRequest.of(
                "HEAD",
                transport.uri(repository.registry(), repository.path("blobs", digest.toString())),
                AuthScope.pull(repository.registry(), repository.name()),
                "blob.head",
                action,
                Map.of()));
    if (response.status() == 404) {
      return false;
    }
    if (!OciClient.isSuccess(response.status())) {
      throw RegistryFailures.of(action, response);
    }
    return true;
  }

  /**
   * Asks the registry to link a blob of {@code source} (same registry) into {@code target}.
   *
   * @return empty when mounted; otherwise the upload session the registry opened instead (it
   *     refuses a mount when it cannot see the blob or the caller cannot read the source)
   */
  public Optional<URI> mount(Repository target, Digest digest, Repository source) {
    String action = "mount blob " + digest + " from " + source + " into " + target;
    String query =
        "?mount="
            + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8)
            + "&from="
            + URLEncoder.encode(source.name(), StandardCharsets.UTF_8);
    RegistryResponse response =
        transport.exchange(
            RegistryRequest.of(
                "POST",
                transport.uri(
                    target.registry(), "/v2/" + target.name() + "/blobs/uploads/" + query),
                AuthScope.mount(target.registry(), target.name(), source.name()),
                "blob.mount",
                action,
                Map.of()));
    return switch (response.status()) {
      case 201 -> Optional.empty();
      case 202 -> Optional.of(uploadLocation(response, action));
      default -> throw RegistryFailures.of(action, response);
    };
  }

  /** Opens an upload session in {@code target}. */
  public URI startUpload(Repository target) {
    String action = "start a blob upload to " + target;
    RegistryResponse response =
        transport.exchange(
            RegistryRequest.of(
                "POST",
                transport.uri(target.registry(), "/v2/" + target.name() + "/blobs/uploads/"),
                AuthScope.push(target.registry(), target.name()),
                "blob.upload.start",
                action,
                Map.of()));
    if (response.status() != 202) {
      throw RegistryFailures.of(action, response);
    }
    return uploadLocation(response, action);
  }

  /** Streams a blob into {@code file}, verifying its digest on the way. */
  public void download(Repository source, Digest digest, Path file) {
    String action = "download blob " + source.display(digest.toString());
    HttpResponse<InputStream> response =
        transport.open(
            RegistryRequest.of(
                "GET",
                transport.uri(source.registry(), source.path("blobs", digest.toString())),
                AuthScope.pull(source.registry(), source.name()),
                "blob.get",
                action,
                Map.of()));
    MessageDigest hash = Digests.messageDigest(digest.algorithm());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        RegistryResponse failed =
            new RegistryResponse(
                response.statusCode(),
                response.headers(),
                body.readNBytes(64 * 1024),
                response.uri());
        throw RegistryFailures.of(action, failed);
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), hash)) {
        body.transferTo(out);
      }
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          "tried to " + action + " but the transfer failed (" + e + "); retry later",
          0,
          List.of(),
          e);
    }
    Digest actual = Digests.finish(digest.algorithm(), hash);
    if (!actual.equals(digest)) {
      throw new RegistryProtocolException(
          "tried to "
              + action
              + " but its content hashes to "
              + actual
              + "; the source registry holds a corrupt blob");
    }
  }

  /** Completes an upload session with the whole blob in one PUT. */
  public void upload(URI session, Repository target, Digest digest, Path file) {
    String action = "upload blob " + digest + " to " + target;
    String separator = session.getRawQuery() == null ? "?" : "&";
    URI complete =
        URI.create(
            session
                + separator
                + "digest="
                + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
    RegistryResponse response;
    try {
      response =
          transport.exchange(
              new RegistryRequest(
                  "PUT",
                  complete,
                  AuthScope.push(target.registry(), target.name()),
                  "blob.put",
                  action,
                  Map.of("Content-Type", "application/octet-stream"),
                  BodyPublishers.ofFile(file)));
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalStateException("the downloaded blob " + file + " vanished", e);
    }
    if (!OciClient.isSuccess(response.status())) {
      // a retried PUT finds its session closed when the first one landed after all
      if (response.status() == 404 && exists(target, digest)) {
        return;
      }
      throw RegistryFailures.of(action, response);
    }
  }

  private static URI uploadLocation(RegistryResponse response, String action) {
    String location =
        response
            .header("Location")
            .orElseThrow(
                () ->
                    new RegistryProtocolException(
                        "tried to "
                            + action
                            + " but the registry opened an upload without a Location header"));
    return response.uri().resolve(location);
  }
}
