package dev.kiln.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import dev.kiln.core.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An in-test kiln gateway speaking the HTTP API of docs/architecture.md. Images in {@link #cached}
 * are skipped, images in {@link #failing} fail when built, every other image needs its context. It
 * recomputes the build hash from each uploaded tar with kiln-core, as the hash-service does.
 */
final class FakeGateway implements AutoCloseable {
  static final String TOKEN = "t0k3n";
  static final String SCOPE = "acme/kiln";
  static final String REGISTRY = "127.0.0.1:5100";

  final Set<String> cached = ConcurrentHashMap.newKeySet();
  final Set<String> failing = ConcurrentHashMap.newKeySet();

  /** Method and path of every request, in order. */
  final List<String> calls = new CopyOnWriteArrayList<>();

  final List<JsonNode> buildRequests = new CopyOnWriteArrayList<>();

  /** Build hashes recomputed from uploaded archives, by build id. */
  final Map<String, String> serverHashes = new ConcurrentHashMap<>();

  final List<String> lastEventIds = new CopyOnWriteArrayList<>();

  /** When set, the first event stream of each build ends after one event. */
  volatile boolean dropFirstStreams;

  /** When set, event streams stay open and silent. */
  volatile boolean silent;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final Map<String, byte[]> contexts = new ConcurrentHashMap<>();
  private final Map<String, Build> builds = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  private static final class Build {
    final String id;
    final JsonNode request;
    final List<String[]> events = new ArrayList<>();
    boolean dropped;

    Build(String id, JsonNode request) {
      this.id = id;
      this.request = request;
    }
  }

  FakeGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getQuery();
    calls.add(method + " " + path + (query == null ? "" : "?" + query));
    try (exchange) {
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, 401, "{\"error\":\"the token is not valid; ask an admin for a new one\"}");
        return;
      }
      if (method.equals("GET") && path.equals("/v1/whoami")) {
        reply(
            exchange,
            200,
            "{\"org\":\"acme\",\"namespace\":\"cindy\",\"registry\":\""
                + REGISTRY
                + "\",\"cacheNamespace\":\"kiln\"}");
      } else if (method.equals("POST") && path.equals("/v1/builds")) {
        createBuild(exchange);
      } else if (method.equals("PUT") && path.startsWith("/v1/contexts/")) {
        upload(exchange, path.substring("/v1/contexts/".length()));
      } else if (method.equals("POST") && path.endsWith("/context")) {
        attach(exchange, path.split("/")[3]);
      } else if (method.equals("GET") && path.endsWith("/events")) {
        events(exchange, builds.get(path.split("/")[3]));
      } else {
        reply(exchange, 404, "{\"error\":\"no such endpoint\"}");
      }
    }
  }

  private synchronized void createBuild(HttpExchange exchange) throws IOException {
    JsonNode request = json.readTree(exchange.getRequestBody());
    buildRequests.add(request);
    String image = request.path("image").asText();
    if (image.equals("rejected")) {
      reply(exchange, 400, "{\"error\":\"the image name 'rejected' is reserved; pick another\"}");
      return;
    }
    Build build = new Build("b" + (builds.size() + 1), request);
    builds.put(build.id, build);
    event(build, "state", "{\"state\":\"QUEUED\"}");
    if (request.hasNonNull("contextDigest")) {
      hashUpload(build, request.get("contextDigest").asText());
      buildFromContext(build);
    } else if (cached.contains(image)) {
      event(build, "progress", "{\"type\":\"message\",\"text\":\"cache hit for " + image + "\"}");
      succeed(build, "SKIPPED", request.path("clientHash").asText());
    } else {
      event(build, "state", "{\"state\":\"NEEDS_CONTEXT\"}");
    }
    reply(exchange, 202, "{\"id\":\"" + build.id + "\",\"sequence\":1,\"state\":\"QUEUED\"}");
  }

  private void upload(HttpExchange exchange, String digest) throws IOException {
    byte[] tar = exchange.getRequestBody().readAllBytes();
    if (!Digest.sha256(tar).toString().equals(digest)) {
      reply(exchange, 400, "{\"error\":\"the upload does not match its digest\"}");
      return;
    }
    contexts.put(digest, tar);
    reply(exchange, 201, "");
  }

  private synchronized void attach(HttpExchange exchange, String id) throws IOException {
    Build build = builds.get(id);
    String digest = json.readTree(exchange.getRequestBody()).path("contextDigest").asText();
    if (!contexts.containsKey(digest)) {
      reply(exchange, 400, "{\"error\":\"context " + digest + " was not uploaded\"}");
      return;
    }
    hashUpload(build, digest);
    event(build, "state", "{\"state\":\"QUEUED\"}");
    buildFromContext(build);
    reply(exchange, 202, "");
  }

  private void buildFromContext(Build build) {
    String image = build.request.path("image").asText();
    event(build, "state", "{\"state\":\"BUILDING\",\"builder\":\"tcp://127.0.0.1:11234\"}");
    event(
        build,
        "progress",
        "{\"type\":\"vertex\",\"digest\":\"v1\",\"name\":\"[1/1] RUN make\",\"started\":1000,\"completed\":0}");
    event(
        build,
        "progress",
        "{\"type\":\"log\",\"vertex\":\"v1\",\"stream\":1,\"text\":\"compiling\\n\"}");
    if (failing.contains(image)) {
      event(
          build,
          "progress",
          "{\"type\":\"vertex\",\"digest\":\"v1\",\"name\":\"[1/1] RUN make\",\"error\":\"exit code: 2\"}");
      event(
          build,
          "state",
          "{\"state\":\"FAILED\",\"error\":\"the Dockerfile step RUN make failed: exit code: 2; fix the step\"}");
      return;
    }
    event(
        build,
        "progress",
        "{\"type\":\"vertex\",\"digest\":\"v1\",\"name\":\"[1/1] RUN make\",\"started\":1000,\"completed\":1500}");
    succeed(build, "BUILT", serverHashes.get(build.id));
  }

  private void succeed(Build build, String outcome, String hash) {
    String image = build.request.path("image").asText();
    String namespace = build.request.path("namespace").asText();
    String tag = build.request.path("tag").asText("kiln");
    ObjectNode state = json.createObjectNode();
    state.put("state", "SUCCEEDED");
    state.put("outcome", outcome);
    state.put("hash", hash);
    state.put("digest", Digest.sha256(image.getBytes(StandardCharsets.UTF_8)).toString());
    state.put("imageRef", REGISTRY + "/" + namespace + "/" + image + ":" + tag);
    state.put("cacheRef", REGISTRY + "/kiln/" + image + ":" + hash);
    event(build, "state", state.toString());
  }

  private void hashUpload(Build build, String digest) {
    JsonNode params = build.request.path("params");
    TreeMap<String, String> args = new TreeMap<>();
    params.path("args").properties().forEach(e -> args.put(e.getKey(), e.getValue().asText()));
    BuildInputs inputs =
        new BuildInputs(
            params.path("dockerfile").asText(),
            params.path("target").asText(),
            args,
            new TreeSet<>(),
            new TreeMap<>(),
            SCOPE);
    String hash =
        new BuildHasher()
            .hashArchive(new ByteArrayInputStream(contexts.get(digest)), inputs)
            .toString();
    serverHashes.put(build.id, hash);
  }

  private void events(HttpExchange exchange, Build build) throws IOException {
    String lastId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
    lastEventIds.add(lastId == null ? "none" : lastId);
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    if (silent) {
      body.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
      body.flush();
      awaitClose();
      return;
    }
    List<String[]> pending;
    boolean drop;
    synchronized (this) {
      int from = lastId == null ? 0 : Integer.parseInt(lastId);
      pending = new ArrayList<>(build.events.subList(from, build.events.size()));
      drop = dropFirstStreams && !build.dropped;
      build.dropped = true;
    }
    for (String[] event : pending) {
      body.write(
          ("id: " + event[0] + "\nevent: " + event[1] + "\ndata: " + event[2] + "\n\n")
              .getBytes(StandardCharsets.UTF_8));
      if (drop) {
        return;
      }
    }
  }

  private void event(Build build, String type, String data) {
    build.events.add(new String[] {String.valueOf(build.events.size() + 1), type, data});
  }

  private void awaitClose() {
    try {
      closing.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
