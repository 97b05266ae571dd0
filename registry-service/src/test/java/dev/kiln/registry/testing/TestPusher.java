package dev.kiln.registry.testing;

import dev.kiln.core.image.Digest;
import dev.kiln.registry.testing.TestContent.Blob;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestContent.Index;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.function.Function;

/**
 * Pushes test content to a plain-HTTP registry with the bare Distribution API, independent of the
 * client under test.
 */
public final class TestPusher {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String host;
  private final Function<String, String> authorization;

  public TestPusher(String host) {
    this(host, repository -> null);
  }

  /**
   * @param authorization the {@code Authorization} header for a repository (push and pull on it),
   *     null for none
   */
  public TestPusher(String host, Function<String, String> authorization) {
    this.host = host;
    this.authorization = authorization;
  }

  public void push(String repository, String tag, Image image) {
    for (Blob blob : image.blobs()) {
      pushBlob(repository, blob);
    }
    pushManifest(repository, tag, image.mediaType(), image.bytes());
  }

  /** Pushes the children by digest, then the index under {@code tag}. */
  public void push(String repository, String tag, Index index) {
    for (Image child : index.children()) {
      push(repository, child.digest().toString(), child);
    }
    pushManifest(repository, tag, index.mediaType(), index.bytes());
  }

  public void pushBlob(String repository, Blob blob) {
    HttpResponse<String> started =
        send(
            authorized(
                    repository,
                    HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/")))
                .POST(BodyPublishers.noBody())
                .build(),
            202);
    URI location = started.uri().resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getRawQuery() == null ? "?" : "&";
    send(
        authorized(
                repository,
                HttpRequest.newBuilder(
                    URI.create(location + separator + "digest=" + blob.digest())))
            .header("Content-Type", "application/octet-stream")
            .PUT(BodyPublishers.ofByteArray(blob.bytes()))
            .build(),
        201);
  }

  public void pushManifest(String repository, String reference, String mediaType, byte[] bytes) {
    send(
        authorized(
                repository,
                HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference)))
            .header("Content-Type", mediaType)
            .PUT(BodyPublishers.ofByteArray(bytes))
            .build(),
        201);
  }

  /** The bytes and content type the registry serves for a manifest, for byte-for-byte checks. */
  public HttpResponse<byte[]> getManifest(String repository, String reference) {
    try {
      return http.send(
          authorized(
                  repository,
                  HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + reference)))
              .header("Accept", dev.kiln.registry.oci.ManifestMediaTypes.ACCEPT)
              .build(),
          BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("test could not GET a manifest from " + host, e);
    }
  }

  public boolean blobExists(String repository, Digest digest) {
    HttpResponse<String> response =
        sendAny(
            authorized(
                    repository,
                    HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest)))
                .method("HEAD", BodyPublishers.noBody())
                .build());
    return response.statusCode() == 200;
  }

  /** Deletes a manifest by digest (the registry must allow deletes). */
  public void deleteManifest(String repository, Digest digest) {
    send(
        authorized(
                repository,
                HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + digest)))
            .DELETE()
            .build(),
        202);
  }

  private HttpRequest.Builder authorized(String repository, HttpRequest.Builder builder) {
    String header = authorization.apply(repository);
    return header == null ? builder : builder.header("Authorization", header);
  }

  private URI uri(String path) {
    return URI.create("http://" + host + path);
  }

  private HttpResponse<String> send(HttpRequest request, int expected) {
    HttpResponse<String> response = sendAny(request);
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          "test push "
              + request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response;
  }

  private HttpResponse<String> sendAny(HttpRequest request) {
    try {
      return http.send(request, BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("test push to " + host + " failed", e);
    }
  }
}
