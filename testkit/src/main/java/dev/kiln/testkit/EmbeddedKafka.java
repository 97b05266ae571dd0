package dev.kiln.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller in one node) inside the current
 * JVM, on random loopback ports, with its logs in a temporary directory that {@link #close()}
 * deletes.
 *
 * <p>It starts the way Kafka's own {@code kafka.Kafka} main does after {@code kafka-storage.sh
 * format}: {@link Formatter} writes {@code meta.properties} and the bootstrap metadata, then {@link
 * KafkaRaftServer} runs both roles.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;

  private final KafkaNodeConfig node;
  private final KafkaRaftServer server;

  private EmbeddedKafka(KafkaNodeConfig node, KafkaRaftServer server) {
    this.node = node;
    this.server = server;
  }

  /** Starts a broker with the test defaults. */
  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * Starts a broker whose configuration is the test defaults with {@code overrides} applied (any
   * broker setting, e.g. {@code "auto.create.topics.enable" -> "false"}). Returns once the broker
   * answers a client.
   */
  public static EmbeddedKafka start(Map<String, String> overrides) {
    preventKafkaFromEndingTheJvm();
    RuntimeException lastFailure = null;
    // A port picked as free may be taken before the broker binds it; new ports fix that.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return startOnce(overrides);
      } catch (RuntimeException e) {
        lastFailure = e;
      }
    }
    throw new IllegalStateException(
        "tried to start an in-JVM Kafka broker on 127.0.0.1 but it failed "
            + START_ATTEMPTS
            + " times; see the cause and the Kafka log output for what went wrong",
        lastFailure);
  }

  private static EmbeddedKafka startOnce(Map<String, String> overrides) {
    Path logDir = createTempDirectory();
    KafkaNodeConfig node =
        new KafkaNodeConfig(LoopbackPorts.freePort(), LoopbackPorts.freePort(), logDir);
    KafkaRaftServer server = null;
    try {
      KafkaConfig config = new KafkaConfig(node.properties(overrides), false);
      format(config, logDir);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      EmbeddedKafka kafka = new EmbeddedKafka(node, server);
      kafka.awaitReady();
      return kafka;
    } catch (RuntimeException e) {
      if (server != null) {
        stop(server);
      }
      deleteRecursively(logDir);
      throw e;
    }
  }

  /** {@code host:port} for the {@code bootstrap.servers} client setting. */
  public String bootstrapServers() {
    return node.bootstrapServers();
  }

  /** Stops the broker and deletes its logs. */
  @Override
  public void close() {
    stop(server);
    deleteRecursively(node.logDir());
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static void format(KafkaConfig config, Path logDir) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(KafkaNodeConfig.NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled())
          .setControllerListenerName(KafkaNodeConfig.CONTROLLER_LISTENER)
          .setMetadataLogDirectory(config.metadataLogDir())
          .addDirectory(logDir.toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "tried to format Kafka storage in " + logDir + " but Kafka's Formatter failed", e);
    }
  }

  /** Waits until a client sees the broker in the cluster metadata. */
  private void awaitReady() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
          .findAny()
          .orElseThrow(() -> new IllegalStateException("the cluster lists no broker"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka to start", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "tried to reach the in-JVM Kafka broker at "
              + bootstrapServers()
              + " but it did not answer within "
              + READY_TIMEOUT.toSeconds()
              + "s; see the Kafka log output",
          e);
    }
  }

  /**
   * Kafka halts the process on fatal errors (a full disk, a lost log dir). In a test JVM that kills
   * the whole run without a report, so fatal exits become exceptions in the broker thread.
   */
  private static void preventKafkaFromEndingTheJvm() {
    Exit.Procedure refuse =
        (status, message) -> {
          throw new IllegalStateException(
              "in-JVM Kafka asked to end the JVM with status " + status + ": " + message);
        };
    Exit.setExitProcedure(refuse);
    Exit.setHaltProcedure(refuse);
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("kiln-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tried to create a temporary log directory for Kafka but failed; check java.io.tmpdir",
          e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("tried to delete Kafka's log directory " + dir, e);
    }
  }
}
