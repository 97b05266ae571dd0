package dev.kiln.registry.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 reverse proxy in front of a real registry that injects faults: error statuses (with
 * headers such as {@code Retry-After}), slow answers, and dropped connections. A raw socket server,
 * so a connection can really be cut without an answer.
 */
public final class FaultProxy implements AutoCloseable {

  /** What happens to one request instead of (or before) forwarding it. */
  public sealed interface Fault {}

  /** Answer with this status and headers, and a Distribution-style error body. */
  public record Answer(int status, Map<String, String> headers) implements Fault {}

  /** Wait this long, then forward. */
  public record Delay(Duration duration) implements Fault {}

  /** Close the connection without answering. */
  public record Drop() implements Fault {}

  private record Rule(Predicate<String> matches, ConcurrentLinkedQueue<Fault> next, Fault always) {}

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "transfer-encoding",
          "keep-alive",
          "host",
          "expect",
          "upgrade",
          "te",
          "trailer",
          "proxy-connection");

  private final String upstream;
  private final ServerSocket server;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public FaultProxy(String upstreamHost) throws IOException {
    this.upstream = upstreamHost;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::accept);
  }

  /** {@code 127.0.0.1:<port>}, to use as the registry host in references. */
  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The next requests whose line ("METHOD /path?query") matches get these faults, in order. */
  public FaultProxy next(Predicate<String> matches, Fault... faults) {
    rules.add(new Rule(matches, new ConcurrentLinkedQueue<>(List.of(faults)), null));
    return this;
  }

  /** Every matching request gets {@code fault}, until {@link #clear()}. */
  public FaultProxy always(Predicate<String> matches, Fault fault) {
    rules.add(new Rule(matches, new ConcurrentLinkedQueue<>(), fault));
    return this;
  }

  public void clear() {
    rules.clear();
  }

  /** Request lines seen, forwarded or not, in order. */
  public List<String> lines() {
    return new ArrayList<>(lines);
  }

  public long count(Predicate<String> matches) {
    return lines.stream().filter(matches).count();
  }

  public static Predicate<String> method(String method, String pathPart) {
    return line -> line.startsWith(method + " ") && line.contains(pathPart);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String[] headLines = head.split("\r\n");
        String[] requestLine = headLines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < headLines.length; i++) {
          int colon = headLines[i].indexOf(':');
          headers.put(
              headLines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              headLines[i].substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        String line = requestLine[0] + " " + requestLine[1];
        lines.add(line);

        Fault fault = faultFor(line);
        switch (fault) {
          case Drop drop -> {
            socket.setSoLinger(true, 0); // reset, not a polite close
            return;
          }
          case Answer answer ->
              write(out, requestLine[0], answer.status(), answer.headers(), error(answer.status()));
          case Delay delay -> {
            Thread.sleep(delay.duration());
            forward(out, requestLine[0], requestLine[1], headers, body);
          }
          case null -> forward(out, requestLine[0], requestLine[1], headers, body);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client or the test closed the connection
    }
  }

  private Fault faultFor(String line) {
    for (Rule rule : rules) {
      if (rule.matches().test(line)) {
        if (rule.always() != null) {
          return rule.always();
        }
        Fault next = rule.next().poll();
        if (next != null) {
          return next;
        }
      }
    }
    return null;
  }

  private void forward(
      OutputStream out, String method, String target, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + upstream + target))
            .method(
                method,
                body.length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (!HOP_BY_HOP.contains(name)) {
            request.header(name, value);
          }
        });
    HttpResponse<byte[]> response = http.send(request.build(), BodyHandlers.ofByteArray());
    Map<String, String> answer = new LinkedHashMap<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.equals("location")) {
                answer.put(name, values.getFirst().replace(upstream, host()));
              } else if (!HOP_BY_HOP.contains(lower)
                  || (lower.equals("content-length") && method.equals("HEAD"))) {
                answer.put(name, String.join(", ", values));
              }
            });
    write(out, method, response.statusCode(), answer, response.body());
  }

  private static void write(
      OutputStream out, String method, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    boolean isHead = method.equals("HEAD");
    if (!(isHead
        && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("content-length")))) {
      head.append("Content-Length: ").append(isHead ? 0 : body.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!isHead) {
      out.write(body);
    }
    out.flush();
  }

  private static byte[] error(int status) {
    return ("{\"errors\":[{\"code\":\"INJECTED\",\"message\":\"fault proxy answered "
            + status
            + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The request line and headers, or null at the end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
