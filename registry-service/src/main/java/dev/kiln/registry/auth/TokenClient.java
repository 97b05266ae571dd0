package dev.kiln.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.registry.auth.AuthenticationFailedException.Reason;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.resilience.CallDeadline;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Gets bearer tokens from a registry's token service: {@code GET <realm>?service=..&scope=..} with
 * basic credentials when there are any, answered by {@code {"token"|"access_token", "expires_in"}}.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">token authentication
 *     specification</a>
 */
public final class TokenClient {

  /** The spec's default lifetime when the answer has no {@code expires_in}. */
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

  /** Tokens are dropped this much before they expire, so none expires on its way. */
  static final Duration MAX_EXPIRY_MARGIN = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_CHARS = 64 * 1024;

  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final CallDeadline deadline;
  private final RegistryMetrics metrics;

  public TokenClient(
      HttpClient http,
      Clock clock,
      Duration timeout,
      CallDeadline deadline,
      RegistryMetrics metrics) {
    this.http = http;
    this.clock = clock;
    this.timeout = timeout;
    this.deadline = deadline;
    this.metrics = metrics;
  }

  /**
   * @param service the challenge's {@code service}, empty when it named none
   * @param registry the host the token is for, for messages
   */
  public BearerToken fetch(
      URI realm,
      String service,
      Collection<String> scopes,
      Optional<Credentials> credentials,
      String registry) {
    StringBuilder query = new StringBuilder();
    if (!service.isEmpty()) {
      query.append("service=").append(encode(service));
    }
    for (String scope : scopes) {
      query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
    }
    String separator = realm.getRawQuery() == null ? "?" : "&";
    URI uri = URI.create(realm + (query.isEmpty() ? "" : separator + query));
    String action =
        "get a token for "
            + registry
            + " "
            + scopes
            + " from "
            + realm
            + credentials.map(c -> " as " + c.username()).orElse(" anonymously");

    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(deadline.cap(timeout)).GET();
    if (uri.getScheme().equals("http")) {
      request.version(HttpClient.Version.HTTP_1_1);
    }
    credentials.ifPresent(c -> request.header("Authorization", BasicAuthenticator.header(c)));
    Instant sent = clock.instant();
    HttpResponse<String> response = send(request.build(), action);
    return token(response, sent, action);
  }

  private HttpResponse<String> send(HttpRequest request, String action) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
      metrics.http("token", Integer.toString(response.statusCode()), System.nanoTime() - start);
      return response;
    } catch (HttpTimeoutException e) {
      metrics.http("token", "timeout", System.nanoTime() - start);
      throw new AuthenticationFailedException(
          Reason.UNAVAILABLE,
          "tried to " + action + " but the token service did not answer in time; retry later",
          e);
    } catch (IOException e) {
      metrics.http("token", "connection_error", System.nanoTime() - start);
      throw new AuthenticationFailedException(
          Reason.UNAVAILABLE,
          "tried to "
              + action
              + " but the connection failed ("
              + e
              + "); check that the token service is reachable",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthenticationFailedException(
          Reason.UNAVAILABLE, "tried to " + action + " but the call was interrupted", e);
    }
  }

  private static BearerToken token(HttpResponse<String> response, Instant sent, String action) {
    int status = response.statusCode();
    String body = response.body();
    String said = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
    String answered = "tried to " + action + " but the token service answered " + status;
    if (status == 401) {
      throw new AuthenticationFailedException(
          Reason.REJECTED,
          answered
              + " ("
              + said.strip()
              + "); check the user name and password (KILN_REGISTRY_USERNAME/PASSWORD or the"
              + " Docker config entry for this registry)");
    }
    if (status == 403) {
      throw new AuthenticationFailedException(
          Reason.FORBIDDEN,
          answered + " (" + said.strip() + "); give this user pull and push on the repository");
    }
    if (status == 429 || status >= 500) {
      throw new AuthenticationFailedException(
          Reason.UNAVAILABLE, answered + "; the token service is failing, retry later");
    }
    if (status != 200) {
      throw new AuthenticationFailedException(
          Reason.INVALID_RESPONSE, answered + "; check the registry's token configuration");
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    String token = json == null ? "" : json.path("token").asText("");
    if (token.isEmpty() && json != null) {
      token = json.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw new AuthenticationFailedException(
          Reason.INVALID_RESPONSE,
          "tried to "
              + action
              + " but the answer has no 'token' or 'access_token'; check the registry's token"
              + " service");
    }
    long seconds = json.path("expires_in").asLong(0);
    Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
    Duration margin = lifetime.dividedBy(2);
    margin = margin.compareTo(MAX_EXPIRY_MARGIN) < 0 ? margin : MAX_EXPIRY_MARGIN;
    // counted from when the request left, so a slow answer never stretches the lifetime
    return new BearerToken(token, sent.plus(lifetime).minus(margin));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
