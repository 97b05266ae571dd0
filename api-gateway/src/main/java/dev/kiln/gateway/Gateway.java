package dev.kiln.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.store.ContextStore;
import dev.kiln.core.store.DirectoryContextStore;
import dev.kiln.gateway.admin.AdminApi;
import dev.kiln.gateway.admin.OrgVariables;
import dev.kiln.gateway.auth.TokenCredentials;
import dev.kiln.gateway.auth.TokenRepository;
import dev.kiln.gateway.auth.Tokens;
import dev.kiln.gateway.auth.WhoamiApi;
import dev.kiln.gateway.build.BuildApi;
import dev.kiln.gateway.build.BuildRepository;
import dev.kiln.gateway.build.BuildRequestValidator;
import dev.kiln.gateway.build.BuildService;
import dev.kiln.gateway.completion.GrpcRetagger;
import dev.kiln.gateway.completion.Retagger;
import dev.kiln.gateway.context.ContextApi;
import dev.kiln.gateway.context.ContextOwners;
import dev.kiln.gateway.db.Database;
import dev.kiln.gateway.event.BuildEventRepository;
import dev.kiln.gateway.event.EventStreamApi;
import dev.kiln.gateway.http.Router;
import dev.kiln.gateway.kafka.BuildPublisher;
import dev.kiln.gateway.kafka.KafkaBuildPublisher;
import dev.kiln.gateway.namespace.NamespaceClaims;
import dev.kiln.gateway.namespace.NamespaceOwners;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kiln's HTTP edge: the API of docs/architecture.md on the JDK's HTTP server, PostgreSQL, the
 * context store, and the two consumers that turn {@code build.progress} and {@code build.completed}
 * into build state (the latter moving namespace tags).
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /**
   * The gateway's settings; {@link #fromEnv} reads them from the {@code KILN_*} variables of
   * docs/architecture.md.
   *
   * @param httpPort 0 picks a free port (tests); {@link Gateway#port()} tells which
   * @param publicUrl base URL clients and BuildKit reach the gateway at
   * @param contextDir root of the {@link DirectoryContextStore}
   * @param contextUrlSecret HMAC key of signed context URLs, shared with the build-worker
   * @param cacheNamespace cache namespace of organisations without their own admin variable
   * @param registryService {@code host:port} of the registry-service gRPC API
   * @param maxJsonBytes largest JSON request body accepted
   */
  public record Config(
      String kafkaBootstrap,
      String dbUrl,
      String dbUser,
      String dbPassword,
      String httpHost,
      int httpPort,
      String publicUrl,
      Path contextDir,
      String contextUrlSecret,
      String adminToken,
      String registry,
      String cacheNamespace,
      String registryService,
      ContextLimits contextLimits,
      long maxJsonBytes) {

    /** Reads the configuration; required variables missing are an error naming them. */
    public static Config fromEnv(Map<String, String> env) {
      return ConfigEnv.parse(env);
    }

    public Config withHttpPort(int port) {
      return new Config(
          kafkaBootstrap,
          dbUrl,
          dbUser,
          dbPassword,
          httpHost,
          port,
          publicUrl,
          contextDir,
          contextUrlSecret,
          adminToken,
          registry,
          cacheNamespace,
          registryService,
          contextLimits,
          maxJsonBytes);
    }
  }

  private final Config config;
  private final Clock clock;
  private final BuildPublisher givenPublisher;
  private final Retagger givenRetagger;
  private final boolean consumeEvents;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private volatile boolean running;
  private HttpServer server;
  private ExecutorService executor;
  private Database database;

  public Gateway(Config config) {
    this(config, Clock.systemUTC());
  }

  public Gateway(Config config, Clock clock) {
    this(config, clock, null, null, true);
  }

  /**
   * For tests: {@code publisher} and {@code retagger} replace Kafka and the registry-service when
   * not null; {@code consumeEvents} false starts no Kafka consumer.
   */
  Gateway(
      Config config,
      Clock clock,
      BuildPublisher publisher,
      Retagger retagger,
      boolean consumeEvents) {
    this.config = config;
    this.clock = clock;
    this.givenPublisher = publisher;
    this.givenRetagger = retagger;
    this.consumeEvents = consumeEvents;
  }

  /** Migrates the database, opens the store and clients, and starts serving and consuming. */
  public synchronized Gateway start() {
    if (running) {
      throw new IllegalStateException("the gateway is already started");
    }
    try {
      return startParts();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private Gateway startParts() {
    database = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), 16);
    resources.add(database);
    var jdbi = database.jdbi();
    ContextStore store = new DirectoryContextStore(config.contextDir());
    BuildRepository builds = new BuildRepository(jdbi);
    OrgVariables variables = new OrgVariables(jdbi, config.cacheNamespace());
    TokenRepository tokens = new TokenRepository(jdbi);
    ContextOwners contextOwners = new ContextOwners(jdbi);
    NamespaceClaims claims = new NamespaceClaims(new NamespaceOwners(jdbi), clock);

    BuildPublisher publisher =
        givenPublisher != null
            ? givenPublisher
            : new KafkaBuildPublisher(config.kafkaBootstrap(), Duration.ofSeconds(15));
    resources.add(publisher);
    Retagger retagger =
        givenRetagger != null
            ? givenRetagger
            : new GrpcRetagger(config.registryService(), Duration.ofSeconds(30));
    resources.add(retagger);

    BuildService service = new BuildService(builds, variables, publisher, config.registry(), clock);
    running = true;
    Router router =
        new Router(new TokenCredentials(tokens, config.adminToken()), config.maxJsonBytes());
    new AdminApi(tokens, new Tokens(new SecureRandom()), variables, claims, clock).register(router);
    new WhoamiApi(variables, config.registry()).register(router);
    new BuildApi(service, new BuildRequestValidator(store, contextOwners), variables, claims)
        .register(router);
    new ContextApi(
            store,
            contextOwners,
            config.contextLimits(),
            service,
            config.contextUrlSecret().getBytes(StandardCharsets.UTF_8),
            clock)
        .register(router);
    new EventStreamApi(
            service,
            builds,
            new BuildEventRepository(jdbi),
            clock,
            Duration.ofMillis(150),
            Duration.ofSeconds(15),
            () -> running)
        .register(router);

    if (consumeEvents) {
      resources.addAll(GatewayConsumers.start(config, builds, retagger, clock));
    }
    startServer(router);
    log.info(
        "kiln gateway listening on {}:{} (registry {}, cache namespace {})",
        config.httpHost(),
        port(),
        config.registry(),
        config.cacheNamespace());
    return this;
  }

  private void startServer(Router router) {
    try {
      server = HttpServer.create(new InetSocketAddress(config.httpHost(), config.httpPort()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tried to listen on "
              + config.httpHost()
              + ":"
              + config.httpPort()
              + " but failed; is another gateway running there? set KILN_HTTP_ADDR",
          e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", router);
    server.start();
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://<host>:<port>} of the running server. */
  public String url() {
    return "http://" + config.httpHost() + ":" + port();
  }

  public Config config() {
    return config;
  }

  @Override
  public synchronized void close() {
    running = false;
    if (server != null) {
      server.stop(1);
      server = null;
    }
    if (executor != null) {
      executor.close();
      executor = null;
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn(
            "closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    resources.clear();
  }
}
