package dev.kiln.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.NotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests to handlers by method and path template ({@code /v1/builds/{id}}), checks the
 * route's credential and turns every failure into {@code {"error": "..."}}.
 */
public final class Router implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private record Route(String method, String[] segments, Access access, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final Credentials credentials;
  private final long maxJsonBytes;

  public Router(Credentials credentials, long maxJsonBytes) {
    this.credentials = credentials;
    this.maxJsonBytes = maxJsonBytes;
  }

  public Router route(String method, String template, Access access, Handler handler) {
    routes.add(new Route(method, split(template), access, handler));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Call call = null;
    try {
      String[] segments = split(exchange.getRequestURI().getRawPath());
      Map<String, String> params = new HashMap<>();
      Route route = match(exchange.getRequestMethod(), segments, params);
      call = new Call(exchange, params, maxJsonBytes);
      authenticate(route.access(), call);
      route.handler().handle(call);
    } catch (ApiException e) {
      if (e.status() >= 500) {
        log.warn("{} {} failed: {}", exchange.getRequestMethod(), path(exchange), e.getMessage());
      } else {
        log.debug("{} {} -> {}: {}", exchange.getRequestMethod(), path(exchange), e.status(), e);
      }
      sendError(exchange, call, e.status(), e.getMessage());
    } catch (InvalidInputException e) {
      sendError(exchange, call, 400, e.getMessage());
    } catch (NotFoundException e) {
      sendError(exchange, call, 404, e.getMessage());
    } catch (BodyTooLargeException e) {
      sendError(
          exchange,
          call,
          413,
          "the request body is larger than " + e.limitBytes() + " bytes; send a smaller body");
    } catch (IOException e) {
      // Usually the client went away mid-response; nothing left to tell it.
      log.debug("{} {}: I/O error {}", exchange.getRequestMethod(), path(exchange), e.toString());
    } catch (RuntimeException e) {
      // The exception text may hold SQL, bound values or internals: it goes to the log only.
      String errorId = UUID.randomUUID().toString();
      log.error(
          "{} {} failed (error id {})", exchange.getRequestMethod(), path(exchange), errorId, e);
      sendError(
          exchange,
          call,
          500,
          "the gateway failed unexpectedly (error id "
              + errorId
              + "); retry, and report the id if it persists");
    } finally {
      exchange.close();
    }
  }

  private Route match(String method, String[] segments, Map<String, String> params) {
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Optional<Map<String, String>> found = bind(route.segments(), segments);
      if (found.isEmpty()) {
        continue;
      }
      if (route.method().equals(method)) {
        params.putAll(found.get());
        return route;
      }
      allowed.add(route.method());
    }
    if (allowed.isEmpty()) {
      throw ApiException.notFound(
          "there is no endpoint " + "/" + String.join("/", segments) + "; see the kiln HTTP API");
    }
    throw new ApiException(
        405,
        "method "
            + method
            + " is not allowed on /"
            + String.join("/", segments)
            + "; use "
            + String.join(" or ", allowed));
  }

  private static Optional<Map<String, String>> bind(String[] template, String[] segments) {
    if (template.length != segments.length) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        params.put(t.substring(1, t.length() - 1), Call.decode(segments[i].replace("+", "%2B")));
      } else if (!t.equals(segments[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private void authenticate(Access access, Call call) {
    if (access == Access.PUBLIC) {
      return;
    }
    String header = call.header("Authorization").orElse("");
    if (header.isBlank()) {
      throw ApiException.unauthorized(
          "this endpoint needs an Authorization: Bearer <token> header; ask your kiln admin for"
              + " a token");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw ApiException.unauthorized(
          "the Authorization header must be 'Bearer <token>'; fix the header");
    }
    String token = header.substring(7).trim();
    if (access == Access.ADMIN) {
      credentials.requireAdmin(token);
    } else {
      call.principal(credentials.principal(token));
    }
  }

  private static void sendError(HttpExchange exchange, Call call, int status, String message)
      throws IOException {
    if (call != null && call.responded()) {
      // Headers are gone already (e.g. mid-stream); the client sees the connection close.
      return;
    }
    byte[] body = Json.write(Map.of("error", message));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (status == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"kiln\"");
    }
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getPath();
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
