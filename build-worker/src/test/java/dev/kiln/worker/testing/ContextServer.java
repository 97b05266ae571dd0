package dev.kiln.worker.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves context tars over HTTP on loopback, the way the gateway serves them to BuildKit. */
public final class ContextServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> tars = new ConcurrentHashMap<>();
  private final AtomicInteger downloads = new AtomicInteger();

  public ContextServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          byte[] body = tars.get(exchange.getRequestURI().getPath());
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            downloads.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-tar");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
  }

  /** The base URL, e.g. http://127.0.0.1:40123. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves {@code tar} at {@code path} and returns its full URL. */
  public String serve(String path, byte[] tar) {
    tars.put(path, tar);
    return baseUrl() + path;
  }

  public int downloads() {
    return downloads.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
