package dev.kiln.e2e;

import dev.kiln.gateway.Gateway;
import dev.kiln.hashsvc.HashService;
import dev.kiln.hashsvc.HashServiceConfig;
import dev.kiln.registry.RegistryService;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.ResolveRequest;
import dev.kiln.testkit.EmbeddedKafka;
import dev.kiln.testkit.LoopbackPorts;
import dev.kiln.testkit.StackEndpoints;
import dev.kiln.worker.BuildWorker;
import dev.kiln.worker.BuildWorkerConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kiln's four services running in this JVM against the real stack: an in-JVM Kafka broker, and the
 * PostgreSQL, registry and BuildKit that {@code scripts/stack.sh up} started. Each stack gets its
 * own database, organisation and context directory, so runs never see each other's state.
 */
final class KilnStack implements AutoCloseable {
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

  final StackEndpoints endpoints;
  final String org;
  final String dbUrl;
  final Map<String, String> env = new HashMap<>();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedKafka kafka;
  private Gateway gateway;
  private BuildWorker worker;
  private ManagedChannel registryChannel;

  KilnStack(Path workDir) throws Exception {
    endpoints = StackEndpoints.fromEnvironment().requireReachable();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    org = "e2e-" + suffix;
    dbUrl = createDatabase("kiln_e2e_" + suffix);
    try {
      start(workDir);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void start(Path workDir) throws Exception {
    kafka = EmbeddedKafka.start();
    started.add(kafka);
    int gatewayPort = LoopbackPorts.freePort();
    int registryServicePort = LoopbackPorts.freePort();
    env.put("KILN_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("KILN_DB_URL", dbUrl);
    env.put("KILN_DB_USER", endpoints.dbUser());
    env.put("KILN_DB_PASSWORD", endpoints.dbPassword());
    env.put("KILN_HTTP_ADDR", "127.0.0.1:" + gatewayPort);
    env.put("KILN_PUBLIC_URL", "http://127.0.0.1:" + gatewayPort);
    env.put("KILN_STACK_DIR", workDir.toString());
    env.put("KILN_CONTEXT_DIR", workDir.resolve("contexts").toString());
    env.put("KILN_CONTEXT_URL_SECRET", randomHex());
    env.put("KILN_ADMIN_TOKEN", randomHex());
    env.put("KILN_REGISTRY", endpoints.registry());
    env.put("KILN_REGISTRY_INSECURE", endpoints.registry());
    env.put("KILN_GRPC_ADDR", "127.0.0.1:" + registryServicePort);
    env.put("KILN_REGISTRY_SERVICE", "127.0.0.1:" + registryServicePort);
    env.put("KILN_BUILDKIT_ADDR", endpoints.buildkitAddr());

    RegistryService registryService =
        new RegistryService(RegistryService.Config.fromEnvironment(env));
    registryService.start();
    started.add(registryService);
    gateway = new Gateway(Gateway.Config.fromEnv(env)).start();
    started.add(gateway);
    HashService hashService = new HashService(HashServiceConfig.fromEnv(env), Clock.systemUTC());
    hashService.start();
    started.add(hashService);
    worker = BuildWorker.create(BuildWorkerConfig.fromEnv(env));
    worker.start();
    started.add(worker);
    registryChannel =
        ManagedChannelBuilder.forTarget(env.get("KILN_REGISTRY_SERVICE")).usePlaintext().build();
  }

  String gatewayUrl() {
    return gateway.url();
  }

  long solveCount() {
    return worker.solveCount();
  }

  /** Creates a token for {@code namespace} of this stack's organisation. */
  String token(String namespace) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gatewayUrl() + "/v1/admin/tokens"))
                .header("Authorization", "Bearer " + env.get("KILN_ADMIN_TOKEN"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"org\":\"" + org + "\",\"namespace\":\"" + namespace + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher matcher = TOKEN.matcher(response.body());
    if (response.statusCode() != 201 || !matcher.find()) {
      throw new IllegalStateException("token creation failed: " + response.body());
    }
    return matcher.group(1);
  }

  /** Sets an admin variable of this stack's organisation, as an operator would. */
  void adminVariable(String name, String value) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(gatewayUrl() + "/v1/admin/orgs/" + org + "/variables/" + name))
                .header("Authorization", "Bearer " + env.get("KILN_ADMIN_TOKEN"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 204) {
      throw new IllegalStateException("setting " + name + " failed: " + response.body());
    }
  }

  /** The manifest digest a full image reference resolves to in the real registry. */
  String resolve(String reference) {
    return RegistryGrpc.newBlockingStub(registryChannel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .resolve(ResolveRequest.newBuilder().setReference(reference).build())
        .getDigest();
  }

  Connection db() throws SQLException {
    return DriverManager.getConnection(dbUrl, endpoints.dbUser(), endpoints.dbPassword());
  }

  private String createDatabase(String name) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                endpoints.dbUrl(), endpoints.dbUser(), endpoints.dbPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    String base = endpoints.dbUrl();
    int query = base.indexOf('?');
    String path = query < 0 ? base : base.substring(0, query);
    return path.substring(0, path.lastIndexOf('/') + 1)
        + name
        + (query < 0 ? "" : base.substring(query));
  }

  private static String randomHex() {
    byte[] bytes = new byte[16];
    new java.security.SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() throws Exception {
    if (registryChannel != null) {
      registryChannel.shutdownNow();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }
}
