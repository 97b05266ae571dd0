package dev.kiln.cli.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SseFollowerTest {
  private static final Reconnects FAST =
      new Reconnects(Duration.ofMillis(10), Duration.ofMillis(40), 2);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void resumesWithLastEventIdAfterTheStreamEndsEarly() throws IOException {
    start(
        exchange -> {
          int connection = connections.incrementAndGet();
          sendEvents(
              exchange,
              connection == 1
                  ? "id: 1\nevent: progress\ndata: a\n\nid: 2\nevent: progress\ndata: b\n\n"
                  : "id: 3\nevent: state\ndata: done\n\n");
        });
    List<SseEvent> seen = new ArrayList<>();

    String lastId =
        follower(Duration.ofSeconds(5))
            .follow(
                this::request,
                null,
                event -> seen.add(event) && event.data().equals("done"),
                failures());

    assertThat(seen).extracting(SseEvent::id).containsExactly("1", "2", "3");
    assertThat(lastEventIds).containsExactly("none", "2");
    assertThat(lastId).isEqualTo("3");
  }

  @Test
  void resumesAfterAConnectionDropsMidEvent() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread.startVirtualThread(() -> serveRaw(socket));
      URI uri = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/events");
      List<SseEvent> seen = new ArrayList<>();

      follower(Duration.ofSeconds(5))
          .follow(
              id -> withLastEventId(HttpRequest.newBuilder(uri), id).build(),
              null,
              event -> seen.add(event) && event.data().equals("done"),
              failures());

      assertThat(seen).extracting(SseEvent::data).containsExactly("a", "done");
      assertThat(lastEventIds).containsExactly("none", "1");
    }
  }

  @Test
  void givesUpWhenNoEventArrivesInTime() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    start(
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          OutputStream body = exchange.getResponseBody();
          // heartbeats are comments, which must not keep a silent build alive
          body.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
          body.flush();
          awaitQuietly(release);
          exchange.close();
        });
    try {
      assertThatThrownBy(
              () ->
                  follower(Duration.ofMillis(300))
                      .follow(this::request, null, event -> false, failures()))
          .hasMessage("silent for 300ms");
    } finally {
      release.countDown();
    }
  }

  @Test
  void failsAtOnceOnAClientError() throws IOException {
    start(
        exchange -> {
          connections.incrementAndGet();
          byte[] body = "{\"error\":\"bad token\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });

    assertThatThrownBy(
            () ->
                follower(Duration.ofSeconds(5))
                    .follow(this::request, null, event -> false, failures()))
        .hasMessage("status 401: {\"error\":\"bad token\"}");
    assertThat(connections).hasValue(1);
  }

  @Test
  void retriesServerErrorsAFewTimesThenFails() throws IOException {
    start(
        exchange -> {
          connections.incrementAndGet();
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });

    assertThatThrownBy(
            () ->
                follower(Duration.ofSeconds(5))
                    .follow(this::request, null, event -> false, failures()))
        .hasMessageStartingWith("status 503");
    assertThat(connections).hasValue(FAST.maxFailuresInRow() + 1);
  }

  @Test
  void failsWhenTheServerIsUnreachable() throws IOException {
    int port;
    try (ServerSocket unused = new ServerSocket(0)) {
      port = unused.getLocalPort();
    }
    URI uri = URI.create("http://127.0.0.1:" + port + "/events");

    assertThatThrownBy(
            () ->
                follower(Duration.ofSeconds(5))
                    .follow(
                        id -> HttpRequest.newBuilder(uri).build(), null, e -> false, failures()))
        .hasMessageStartingWith("transport");
  }

  private SseFollower follower(Duration idle) {
    return new SseFollower(http, Clock.systemUTC(), idle, FAST);
  }

  private HttpRequest request(String lastEventId) {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    return withLastEventId(HttpRequest.newBuilder(uri), lastEventId).build();
  }

  private static HttpRequest.Builder withLastEventId(HttpRequest.Builder builder, String id) {
    return id == null ? builder : builder.header("Last-Event-ID", id);
  }

  private void start(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/events",
        exchange -> {
          String id = exchange.getRequestHeaders().getFirst("Last-Event-ID");
          lastEventIds.add(id == null ? "none" : id);
          handler.handle(exchange);
        });
    server.start();
  }

  private static void sendEvents(HttpExchange exchange, String text) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    exchange.getResponseBody().write(text.getBytes(StandardCharsets.UTF_8));
    exchange.close();
  }

  /** First connection: one event, then half a chunk and a hard close; second: the end. */
  private void serveRaw(ServerSocket socket) {
    for (int connection = 1; connection <= 2; connection++) {
      try (Socket client = socket.accept()) {
        String head = readHead(client);
        String id =
            head.lines()
                .filter(
                    line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("last-event-id:"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst()
                .orElse("none");
        lastEventIds.add(id);
        OutputStream out = client.getOutputStream();
        String headers =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        String event = connection == 1 ? "id: 1\ndata: a\n\n" : "id: 2\ndata: done\n\n";
        out.write((headers + chunk(event)).getBytes(StandardCharsets.UTF_8));
        if (connection == 1) {
          out.write("40\r\nid: 2\ndata: never".getBytes(StandardCharsets.UTF_8));
        } else {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static String chunk(String text) {
    return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + text
        + "\r\n";
  }

  private static String readHead(Socket client) throws IOException {
    StringBuilder head = new StringBuilder();
    var in = client.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static SseFollower.Failures failures() {
    return new SseFollower.Failures() {
      @Override
      public RuntimeException status(int status, String body) {
        return new IllegalStateException("status " + status + ": " + body);
      }

      @Override
      public RuntimeException transport(IOException error) {
        return new IllegalStateException("transport: " + error);
      }

      @Override
      public RuntimeException silent(Duration idleTimeout) {
        return new IllegalStateException("silent for " + idleTimeout.toMillis() + "ms");
      }
    };
  }
}
