package dev.kiln.registry.oci;

import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.resilience.HostCircuitOpenException;
import dev.kiln.registry.resilience.Retrier;
import dev.kiln.registry.resilience.Retrier.Verdict;
import dev.kiln.registry.resilience.RetryAfter;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP to registries: picks the scheme per host, and sends each request through the {@link Retrier}
 * (backoff, {@code Retry-After}, the host's circuit breaker, the caller's deadline), one attempt
 * being authorization, one challenge and redirects of reads. It never interprets HTTP statuses
 * beyond "worth another attempt"; {@link OciClient} does.
 */
public final class RegistryTransport {

  /** Distribution refuses manifests over 4 MiB; twice that leaves room for other registries. */
  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private final Set<String> insecureHosts;
  private final RegistryHttp http;
  private final Retrier retrier;
  private final RegistryMetrics metrics;

  /** Sends every request once: no retries, no circuit breaker, no deadline, meters in memory. */
  public RegistryTransport(
      HttpClient http,
      Set<String> insecureHosts,
      RegistryAuthenticator authenticator,
      Duration requestTimeout) {
    this(
        http,
        insecureHosts,
        authenticator,
        requestTimeout,
        Retrier.once(Clock.systemUTC(), RegistryMetrics.inMemory()),
        RegistryMetrics.inMemory());
  }

  /**
   * @param http must not follow redirects itself, so credentials never travel to a redirect target
   *     on another host (blob storage behind a registry rejects them anyway)
   * @param insecureHosts registry hosts ({@code host:port}) spoken to over plain HTTP
   * @param requestTimeout the longest one HTTP send may take, headers and body; the caller's
   *     deadline shortens it
   */
  public RegistryTransport(
      HttpClient http,
      Set<String> insecureHosts,
      RegistryAuthenticator authenticator,
      Duration requestTimeout,
      Retrier retrier,
      RegistryMetrics metrics) {
    this.insecureHosts = Set.copyOf(insecureHosts);
    this.http = new RegistryHttp(http, authenticator, requestTimeout, retrier.deadline(), metrics);
    this.retrier = retrier;
    this.metrics = metrics;
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
    HttpResponse<byte[]> response =
        resilient(request, () -> http.attempt(request, LimitedBody.handler(MAX_BODY_BYTES)));
    return new RegistryResponse(
        response.statusCode(), response.headers(), response.body(), response.uri());
  }

  /** Sends the request and hands back the open body stream; the caller closes it. */
  public HttpResponse<InputStream> open(RegistryRequest request) {
    return resilient(request, () -> http.attempt(request, BodyHandlers.ofInputStream()));
  }

  private <T> HttpResponse<T> resilient(
      RegistryRequest request, java.util.function.Supplier<HttpResponse<T>> attempt) {
    String host = request.scope().registry();
    try {
      return retrier.call(host, attempt, new Classifier<>(retrier.clock()));
    } catch (HostCircuitOpenException e) {
      metrics.http(request.operation(), "circuit_open", 0);
      throw new RegistryUnavailableException(
          "tried to " + request.action() + " but " + e.getMessage(), 0, List.of(), e);
    }
  }

  /** 429 and 5xx answers and failures to get an answer are worth another attempt. */
  private record Classifier<T>(Clock clock) implements Retrier.Classifier<HttpResponse<T>> {

    @Override
    public Verdict ofResult(HttpResponse<T> response) {
      int status = response.statusCode();
      Optional<Duration> retryAfter =
          RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant());
      if (status == 429) {
        return Verdict.retry(false, retryAfter);
      }
      // 501 and 505 say the registry lacks a feature; asking again changes nothing
      if (status >= 500 && status != 501 && status != 505) {
        return Verdict.retry(true, retryAfter);
      }
      return Verdict.DONE;
    }

    @Override
    public Verdict ofFailure(RuntimeException failure) {
      if (failure instanceof RegistryUnavailableException unavailable) {
        Throwable cause = unavailable.getCause();
        if (cause instanceof InterruptedException) {
          return Verdict.DONE; // the caller gave up
        }
        // without a cause the deadline ran out: the host did nothing wrong
        return Verdict.retry(cause != null, Optional.empty());
      }
      return Verdict.DONE;
    }

    @Override
    public String reason(HttpResponse<T> response, RuntimeException failure) {
      if (response != null) {
        return Integer.toString(response.statusCode());
      }
      return failure.getCause() instanceof java.net.http.HttpTimeoutException
          ? "timeout"
          : "connection_error";
    }

    @Override
    public void discard(HttpResponse<T> response) {
      if (response != null) {
        RegistryHttp.discard(response);
      }
    }
  }
}
