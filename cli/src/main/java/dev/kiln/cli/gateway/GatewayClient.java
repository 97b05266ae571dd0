package dev.kiln.cli.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.image.Digest;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The kiln gateway's HTTP API as the CLI uses it (docs/architecture.md, "HTTP API"). */
public final class GatewayClient {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final URI baseUrl;
  private final String token;
  private final HttpClient http;
  private final ObjectMapper json;
  private final GatewayErrors errors;

  /**
   * @param baseUrl e.g. http://127.0.0.1:8480
   * @param token the bearer token
   */
  public GatewayClient(URI baseUrl, String token, HttpClient http) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.http = http;
    this.json =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    this.errors = new GatewayErrors(baseUrl, json);
  }

  /** An HTTP client suited to the gateway: HTTP/1.1, bounded connect time. */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Parses a gateway URL such as {@code http://127.0.0.1:8480}, naming KILN_URL when invalid. */
  public static URI parseBaseUrl(String text) {
    try {
      URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new URISyntaxException(text, "expected http://host[:port] or https://host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InvalidInputException(
          "the gateway URL '"
              + text
              + "' is invalid ("
              + e.getReason()
              + "); set KILN_URL or --url to e.g. http://127.0.0.1:8480",
          "KILN_URL");
    }
  }

  public URI baseUrl() {
    return baseUrl;
  }

  public ObjectMapper json() {
    return json;
  }

  public WhoAmI whoami() {
    HttpRequest request = request("/v1/whoami").timeout(CALL_TIMEOUT).GET().build();
    return json(send("ask the gateway who the token belongs to", request), WhoAmI.class);
  }

  public BuildCreated createBuild(BuildRequest body) {
    HttpRequest request =
        request("/v1/builds")
            .timeout(CALL_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(bytes(body)))
            .build();
    return json(send("start a build of '" + body.image() + "'", request), BuildCreated.class);
  }

  /**
   * Uploads a packed context, streamed from {@code tar}.
   *
   * @param buildId the build waiting for it (the gateway fails that build if it rejects the
   *     archive), or null
   */
  public void uploadContext(Digest digest, Path tar, String buildId) {
    String path = "/v1/contexts/" + digest + (buildId == null ? "" : "?build=" + encode(buildId));
    BodyPublisher body;
    try {
      body = BodyPublishers.ofFile(tar);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(
          "tried to upload the packed context " + tar + " but it is gone", e);
    }
    HttpRequest request =
        request(path).header("Content-Type", "application/x-tar").PUT(body).build();
    send("upload the build context " + digest, request);
  }

  public void attachContext(String buildId, Digest digest) {
    HttpRequest request =
        request("/v1/builds/" + encode(buildId) + "/context")
            .timeout(CALL_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(bytes(Map.of("contextDigest", digest.toString()))))
            .build();
    send("attach the uploaded context to build " + buildId, request);
  }

  /** The request that opens a build's event stream, resuming after {@code lastEventId}. */
  public HttpRequest eventsRequest(String buildId, String lastEventId) {
    HttpRequest.Builder builder =
        request("/v1/builds/" + encode(buildId) + "/events").header("Accept", "text/event-stream");
    if (lastEventId != null) {
      builder.header("Last-Event-ID", lastEventId);
    }
    return builder.GET().build();
  }

  public HttpClient http() {
    return http;
  }

  public GatewayException statusError(String action, int status, String body) {
    return errors.status(action, status, body);
  }

  public GatewayException transportError(String action, IOException e) {
    return errors.transport(action, e);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(baseUrl.resolve(path)).header("Authorization", "Bearer " + token);
  }

  private String send(String action, HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw errors.transport(action, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GatewayException("interrupted while trying to " + action, 0, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw errors.status(action, response.statusCode(), response.body());
    }
    return response.body();
  }

  private <T> T json(String body, Class<T> type) {
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      throw new GatewayException(
          "tried to read the gateway's answer as "
              + type.getSimpleName()
              + " but it is not valid: "
              + e.getMessage(),
          0,
          e);
    }
  }

  private byte[] bytes(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("tried to encode a request as JSON but failed", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
