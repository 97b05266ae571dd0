package dev.kiln.bench.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;

/**
 * The HTTP calls the registry-service makes for Exists and for a steady-state Retag (target already
 * holds the blobs), made with bare java.net.http: the baseline the service is compared with.
 */
final class RawRegistryCalls {

  static final String ACCEPT =
      "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json,"
          + " application/vnd.docker.distribution.manifest.list.v2+json,"
          + " application/vnd.docker.distribution.manifest.v2+json";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String host;

  RawRegistryCalls(String host) {
    this.host = host;
  }

  /** HEAD of the manifest: what Exists sends for a single-platform image. */
  void exists(String repository, String tag) {
    HttpResponse<Void> head =
        send(
            HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
                .header("Accept", ACCEPT)
                .method("HEAD", BodyPublishers.noBody())
                .build(),
            BodyHandlers.discarding());
    expect(head, 200);
    head.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  /** GET the source manifest, HEAD each blob in the target, PUT the same bytes under the tag. */
  void retag(String source, String tag, String target, String targetTag, List<String> blobs) {
    HttpResponse<byte[]> manifest =
        send(
            HttpRequest.newBuilder(uri("/v2/" + source + "/manifests/" + tag))
                .header("Accept", ACCEPT)
                .build(),
            BodyHandlers.ofByteArray());
    expect(manifest, 200);
    for (String blob : blobs) {
      expect(
          send(
              HttpRequest.newBuilder(uri("/v2/" + target + "/blobs/" + blob))
                  .method("HEAD", BodyPublishers.noBody())
                  .build(),
              BodyHandlers.discarding()),
          200);
    }
    expect(
        send(
            HttpRequest.newBuilder(uri("/v2/" + target + "/manifests/" + targetTag))
                .header("Content-Type", manifest.headers().firstValue("Content-Type").orElseThrow())
                .PUT(BodyPublishers.ofByteArray(manifest.body()))
                .build(),
            BodyHandlers.discarding()),
        201);
  }

  /** Pushes a blob monolithically (set-up only). */
  void pushBlob(String repository, String digest, byte[] bytes) {
    HttpResponse<Void> started =
        send(
            HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(BodyPublishers.noBody())
                .build(),
            BodyHandlers.discarding());
    expect(started, 202);
    URI location = started.uri().resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getRawQuery() == null ? "?" : "&";
    expect(
        send(
            HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.ofByteArray(bytes))
                .build(),
            BodyHandlers.discarding()),
        201);
  }

  void pushManifest(String repository, String tag, String mediaType, byte[] bytes) {
    expect(
        send(
            HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", mediaType)
                .PUT(BodyPublishers.ofByteArray(bytes))
                .build(),
            BodyHandlers.discarding()),
        201);
  }

  private URI uri(String path) {
    return URI.create("http://" + host + path);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new IllegalStateException("benchmark request " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("benchmark interrupted", e);
    }
  }

  private static void expect(HttpResponse<?> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          response.request().method()
              + " "
              + response.uri()
              + " answered "
              + response.statusCode()
              + ", expected "
              + status);
    }
  }
}
