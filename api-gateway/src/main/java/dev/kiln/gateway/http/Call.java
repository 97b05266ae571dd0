package dev.kiln.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import dev.kiln.gateway.auth.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One HTTP request being answered: its parameters, its caller and helpers to reply. */
public final class Call {
  private final HttpExchange exchange;
  private final Map<String, String> pathParams;
  private final Map<String, String> query;
  private final long maxJsonBytes;
  private Principal principal;
  private boolean responded;

  Call(HttpExchange exchange, Map<String, String> pathParams, long maxJsonBytes) {
    this.exchange = exchange;
    this.pathParams = Map.copyOf(pathParams);
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    this.maxJsonBytes = maxJsonBytes;
  }

  public HttpExchange exchange() {
    return exchange;
  }

  public String method() {
    return exchange.getRequestMethod();
  }

  public String path() {
    return exchange.getRequestURI().getPath();
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return value;
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name));
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  /** The token's owner; only for routes with {@link Access#TOKEN}. */
  public Principal principal() {
    if (principal == null) {
      throw new IllegalStateException("route " + path() + " is not authenticated by token");
    }
    return principal;
  }

  void principal(Principal principal) {
    this.principal = principal;
  }

  /** The declared body length, or -1 when the body is chunked or absent. */
  public long contentLength() {
    String value = exchange.getRequestHeaders().getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("the Content-Length header is not a number: " + value);
    }
  }

  /** The request body, failing with 413 past {@code limitBytes} whether declared or chunked. */
  public LimitedInputStream body(long limitBytes) {
    if (contentLength() > limitBytes) {
      throw ApiException.tooLarge(
          "the request body has "
              + contentLength()
              + " bytes but at most "
              + limitBytes
              + " are accepted here; send a smaller body");
    }
    return new LimitedInputStream(exchange.getRequestBody(), limitBytes);
  }

  public <T> T readJson(Class<T> type) throws IOException {
    try (InputStream in = body(maxJsonBytes)) {
      return Json.read(in, type);
    }
  }

  public void sendJson(int status, Object body) throws IOException {
    byte[] bytes = Json.write(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    sendHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Replies with no body. */
  public void sendStatus(int status) throws IOException {
    sendHeaders(status, -1);
    exchange.getResponseBody().close();
  }

  /** Sends the status line and headers; {@code length} 0 = chunked, -1 = no body. */
  public void sendHeaders(int status, long length) throws IOException {
    responded = true;
    exchange.sendResponseHeaders(status, length);
  }

  boolean responded() {
    return responded;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(decode(name), decode(value));
    }
    return params;
  }

  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the URL has a malformed escape in '" + raw + "'");
    }
  }
}
