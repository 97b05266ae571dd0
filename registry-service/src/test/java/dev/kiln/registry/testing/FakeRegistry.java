package dev.kiln.registry.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-test HTTP server standing in for a registry: answers from routes the test declares (first
 * match of method and path wins, unmatched requests get 599) and records every request.
 */
public final class FakeRegistry implements AutoCloseable {

  /** A request as the server saw it. */
  public record Request(String method, String path, String query, Headers headers, byte[] body) {

    public String header(String name) {
      return headers.getFirst(name);
    }

    public String line() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  /** An answer; {@code body} null means none (HEAD, 201 without content). */
  public record Reply(int status, Map<String, String> headers, byte[] body) {

    public static Reply of(int status) {
      return new Reply(status, Map.of(), null);
    }

    public static Reply of(int status, Map<String, String> headers) {
      return new Reply(status, headers, null);
    }

    public static Reply json(int status, String body) {
      return new Reply(
          status,
          Map.of("Content-Type", "application/json"),
          body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private record Route(String method, String path, Function<Request, Reply> answer) {}

  private final HttpServer server;
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code 127.0.0.1:<port>}, the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers requests with this method and exact path (query ignored). */
  public FakeRegistry on(String method, String path, Function<Request, Reply> answer) {
    routes.add(new Route(method, path, answer));
    return this;
  }

  public FakeRegistry on(String method, String path, Reply reply) {
    return on(method, path, request -> reply);
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** "METHOD /path?query" of every request, in order. */
  public List<String> lines() {
    return requests.stream().map(Request::line).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders(),
            body);
    requests.add(request);
    Reply reply =
        routes.stream()
            .filter(r -> r.method().equals(request.method()) && r.path().equals(request.path()))
            .findFirst()
            .map(r -> r.answer().apply(request))
            .orElse(Reply.json(599, "{\"errors\":[{\"code\":\"TEST\",\"message\":\"no route\"}]}"));
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    boolean noBody = reply.body() == null || request.method().equals("HEAD");
    exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
