package dev.kiln.registry.oci;

import dev.kiln.registry.auth.AuthenticationFailedException;
import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.resilience.CallDeadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt at a registry request: adds authorization, answers one authentication challenge,
 * follows redirects of reads, and bounds every send by the request timeout and the caller's
 * deadline (headers and body alike). Each HTTP send is measured.
 */
final class RegistryHttp {

  private static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final HttpClient http;
  private final RegistryAuthenticator authenticator;
  private final Duration requestTimeout;
  private final CallDeadline deadline;
  private final RegistryMetrics metrics;

  RegistryHttp(
      HttpClient http,
      RegistryAuthenticator authenticator,
      Duration requestTimeout,
      CallDeadline deadline,
      RegistryMetrics metrics) {
    this.http = http;
    this.authenticator = authenticator;
    this.requestTimeout = requestTimeout;
    this.deadline = deadline;
    this.metrics = metrics;
  }

  <T> HttpResponse<T> attempt(RegistryRequest request, BodyHandler<T> handler) {
    RegistryRequest current = request;
    boolean challenged = false;
    for (int redirects = 0; ; ) {
      HttpResponse<T> response = send(current, request, handler);
      int status = response.statusCode();

      if (status == 401 && !challenged) {
        challenged = true;
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        if (refresh(request, challenge)) {
          discard(response);
          continue;
        }
      }

      boolean read = current.method().equals("GET") || current.method().equals("HEAD");
      Optional<String> location = response.headers().firstValue("Location");
      if (read && REDIRECTS.contains(status) && location.isPresent()) {
        discard(response);
        if (++redirects > MAX_REDIRECTS) {
          throw new RegistryProtocolException(
              "tried to "
                  + request.action()
                  + " but the registry redirected more than "
                  + MAX_REDIRECTS
                  + " times; check the registry's storage configuration");
        }
        current = current.withUri(current.uri().resolve(location.get()));
        continue;
      }
      return response;
    }
  }

  private boolean refresh(RegistryRequest request, String challenge) {
    try {
      return authenticator.refresh(request.scope(), challenge);
    } catch (AuthenticationFailedException e) {
      throw TransportFailures.authentication(request, e);
    }
  }

  private <T> HttpResponse<T> send(
      RegistryRequest current, RegistryRequest original, BodyHandler<T> handler) {
    Duration timeout = deadline.cap(requestTimeout);
    if (timeout.isZero() || timeout.isNegative()) {
      throw TransportFailures.deadlinePassed(original);
    }
    HttpRequest request = build(current, original, timeout);
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<T>> future = http.sendAsync(request, handler);
    try {
      // the request timeout ends at the headers; this bound covers a stalled body too
      HttpResponse<T> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      measure(original, Integer.toString(response.statusCode()), start);
      return response;
    } catch (TimeoutException e) {
      future.cancel(true);
      measure(original, "timeout", start);
      throw TransportFailures.unreachable(original, new HttpTimeoutException("no answer"));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      measure(original, "cancelled", start);
      throw TransportFailures.interrupted(original, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      for (Throwable c = cause; c != null; c = c.getCause()) {
        if (c instanceof LimitedBody.TooLarge) {
          measure(original, "too_large", start);
          throw TransportFailures.tooLarge(original, RegistryTransport.MAX_BODY_BYTES, c);
        }
      }
      boolean timedOut = cause instanceof HttpTimeoutException;
      measure(original, timedOut ? "timeout" : "connection_error", start);
      if (cause instanceof IOException io) {
        throw TransportFailures.unreachable(original, io);
      }
      throw TransportFailures.unreachable(original, new IOException(cause));
    }
  }

  private HttpRequest build(RegistryRequest current, RegistryRequest original, Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(current.uri())
            .timeout(timeout)
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
    // credentials never travel to a redirect target on another host (blob storage)
    if (sameHost(current.uri(), original.scope().registry())) {
      try {
        authenticator
            .authorization(original.scope())
            .ifPresent(value -> builder.header("Authorization", value));
      } catch (AuthenticationFailedException e) {
        throw TransportFailures.authentication(original, e);
      }
    }
    return builder.build();
  }

  private void measure(RegistryRequest request, String outcome, long startNanos) {
    metrics.http(request.operation(), outcome, System.nanoTime() - startNanos);
  }

  private static boolean sameHost(URI uri, String registry) {
    return registry.equalsIgnoreCase(uri.getRawAuthority());
  }

  static void discard(HttpResponse<?> response) {
    if (response.body() instanceof InputStream body) {
      try (body) {
        body.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // the connection is dropped instead of reused; nothing else depends on it
      }
    }
  }
}
