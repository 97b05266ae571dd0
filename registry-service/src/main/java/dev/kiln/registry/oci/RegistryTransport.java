package dev.kiln.registry.oci;

import dev.kiln.registry.auth.RegistryAuthenticator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HTTP to registries: picks the scheme per host, adds authorization, answers one authentication
 * challenge, follows redirects of reads, and turns I/O failures into {@link
 * RegistryUnavailableException}. It never interprets HTTP statuses beyond that; {@link OciClient}
 * does.
 */
public final class RegistryTransport {

  /** Distribution refuses manifests over 4 MiB; twice that leaves room for other registries. */
  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final HttpClient http;
  private final Set<String> insecureHosts;
  private final RegistryAuthenticator authenticator;
  private final Duration requestTimeout;

  /**
   * @param http must not follow redirects itself, so credentials never travel to a redirect target
   *     on another host (blob storage behind a registry rejects them anyway)
   * @param insecureHosts registry hosts ({@code host:port}) spoken to over plain HTTP
   * @param requestTimeout how long to wait for the response headers of one request
   */
  public RegistryTransport(
      HttpClient http,
      Set<String> insecureHosts,
      RegistryAuthenticator authenticator,
      Duration requestTimeout) {
    this.http = http;
    this.insecureHosts = Set.copyOf(insecureHosts);
    this.authenticator = authenticator;
    this.requestTimeout = requestTimeout;
  }

  public static HttpClient defaultHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** The URI of {@code path} (starting with {@code /v2/}) on {@code registry}. */
  public URI uri(String registry, String path) {
    String scheme = insecureHosts.contains(registry) ? "http" : "https";
    return URI.create(scheme + "://" + registry + path);
  }

  /** Sends the request and reads at most {@link #MAX_BODY_BYTES} of the answer. */
  public RegistryResponse exchange(RegistryRequest request) {
    HttpResponse<InputStream> response = open(request);
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new RegistryProtocolException(
            "tried to "
                + request.action()
                + " but the registry's answer is larger than "
                + MAX_BODY_BYTES
                + " bytes; check that "
                + response.uri()
                + " is a registry endpoint");
      }
      return new RegistryResponse(response.statusCode(), response.headers(), bytes, response.uri());
    } catch (IOException e) {
      throw unreachable(request, e);
    }
  }

  /** Sends the request and hands back the open body stream; the caller closes it. */
  public HttpResponse<InputStream> open(RegistryRequest request) {
    RegistryRequest current = request;
    boolean challenged = false;
    for (int redirects = 0; ; ) {
      HttpResponse<InputStream> response = sendOnce(current, request);
      int status = response.statusCode();

      if (status == 401 && !challenged) {
        challenged = true;
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        if (authenticator.refresh(request.scope(), challenge)) {
          discard(response);
          continue;
        }
      }

      boolean read = current.method().equals("GET") || current.method().equals("HEAD");
      var location = response.headers().firstValue("Location");
      if (read && REDIRECTS.contains(status) && location.isPresent()) {
        if (++redirects > MAX_REDIRECTS) {
          discard(response);
          throw new RegistryProtocolException(
              "tried to "
                  + request.action()
                  + " but the registry redirected more than "
                  + MAX_REDIRECTS
                  + " times; check the registry's storage configuration");
        }
        discard(response);
        current = current.withUri(current.uri().resolve(location.get()));
        continue;
      }
      return response;
    }
  }

  private HttpResponse<InputStream> sendOnce(RegistryRequest current, RegistryRequest original) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(current.uri())
            .timeout(requestTimeout)
            .method(
                current.method(),
                current.body() == null ? HttpRequest.BodyPublishers.noBody() : current.body());
    if (current.uri().getScheme().equals("http")) {
      // no h2c upgrade dance with plain-HTTP registries
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    for (Map.Entry<String, String> header : current.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    if (sameHost(current.uri(), original.scope().registry())) {
      authenticator
          .authorization(original.scope())
          .ifPresent(value -> builder.header("Authorization", value));
    }
    try {
      return http.send(builder.build(), BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(original, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException(
          "tried to " + original.action() + " but the call was interrupted; try again",
          0,
          List.of(),
          e);
    }
  }

  private static boolean sameHost(URI uri, String registry) {
    return registry.equalsIgnoreCase(uri.getRawAuthority());
  }

  private static void discard(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the connection is dropped instead of reused; nothing else depends on it
    }
  }

  private static RegistryUnavailableException unreachable(RegistryRequest request, IOException e) {
    String why =
        e instanceof HttpTimeoutException
            ? "it did not answer in time"
            : "the connection failed (" + e + ")";
    return new RegistryUnavailableException(
        "tried to "
            + request.action()
            + " at "
            + request.uri().getScheme()
            + "://"
            + request.uri().getRawAuthority()
            + " but "
            + why
            + "; check that the registry is running and reachable, and that KILN_REGISTRY_INSECURE"
            + " lists it when it speaks plain HTTP",
        0,
        List.of(),
        e);
  }
}
