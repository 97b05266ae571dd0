package dev.kiln.worker;

import com.google.protobuf.Message;
import dev.kiln.events.ProtoSerde;
import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.worker.build.Backoff;
import dev.kiln.worker.build.BuildRequestProcessor;
import dev.kiln.worker.build.CacheLookup;
import dev.kiln.worker.build.ContextLinks;
import dev.kiln.worker.build.SolveRunner;
import dev.kiln.worker.buildkit.BuildKitClient;
import dev.kiln.worker.buildkit.Solver;
import dev.kiln.worker.kafka.HashedEventLoop;
import dev.kiln.worker.kafka.KafkaEventPublisher;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build-worker service: {@code build.hashed} → skip, ask for the context, or build with
 * BuildKit → {@code build.progress} and {@code build.completed}.
 */
public final class BuildWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BuildWorker.class);
  private static final Duration LOOKUP_CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
  // a context link must outlive the wait in the queue, not only the solve
  private static final Duration LINK_MARGIN = Duration.ofMinutes(30);

  private final BuildWorkerConfig config;
  private final Clock clock;
  private final Backoff backoff;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final ExecutorService lookups;
  private final ExecutorService solves;
  private final BuildRequestProcessor processor;
  private final KafkaProducer<String, Message> producer;
  private final KafkaEventPublisher publisher;
  private HashedEventLoop loop;
  private Thread loopThread;

  /** A worker that talks to the real BuildKit daemon and registry-service of {@code config}. */
  public static BuildWorker create(BuildWorkerConfig config) {
    BuildKitClient buildkit = BuildKitClient.connect(config.buildkit());
    ManagedChannel registry =
        NettyChannelBuilder.forTarget(config.registryService()).usePlaintext().build();
    BuildWorker worker =
        new BuildWorker(
            config,
            buildkit,
            registry,
            Clock.systemUTC(),
            new Backoff(6, Duration.ofMillis(500), Duration.ofSeconds(8), Backoff.Sleeper.REAL));
    worker.owned.add(buildkit);
    worker.owned.add(registry::shutdownNow);
    return worker;
  }

  /**
   * A worker with the given solver and registry-service channel (tests pass fakes); neither is
   * closed by {@link #close()}.
   */
  public BuildWorker(
      BuildWorkerConfig config, Solver solver, Channel registry, Clock clock, Backoff backoff) {
    this.config = config;
    this.clock = clock;
    this.backoff = backoff;
    this.lookups =
        Executors.newFixedThreadPool(
            4, Thread.ofPlatform().name("kiln-worker-lookup-", 1).factory());
    this.solves =
        Executors.newFixedThreadPool(
            config.concurrency(), Thread.ofPlatform().name("kiln-worker-solve-", 1).factory());
    this.producer =
        new KafkaProducer<>(producerProps(config), new StringSerializer(), ProtoSerde.serializer());
    this.publisher = new KafkaEventPublisher(producer, backoff);
    this.processor =
        new BuildRequestProcessor(
            new CacheLookup(
                RegistryGrpc.newBlockingStub(registry),
                config.registryService(),
                LOOKUP_CALL_TIMEOUT,
                backoff),
            new SolveRunner(solver, config.buildTimeout(), backoff),
            publisher,
            new ContextLinks(
                config.publicUrl(),
                config.contextUrlSecretBytes(),
                config.buildTimeout().plus(LINK_MARGIN),
                clock),
            solves,
            clock);
  }

  /** Creates the topics if needed and starts consuming. */
  public synchronized void start() throws InterruptedException {
    if (loop != null) {
      throw new IllegalStateException("the build-worker is already started");
    }
    Topics.ensureCreated(config.kafkaBootstrap(), Topics.DEFAULT_PARTITIONS, (short) 1);
    KafkaConsumer<String, BuildHashed> consumer =
        new KafkaConsumer<>(
            consumerProps(config),
            new StringDeserializer(),
            ProtoSerde.deserializer(BuildHashed.parser()));
    loop =
        new HashedEventLoop(
            consumer,
            processor::process,
            lookups,
            config.maxInFlight(),
            Duration.ofMillis(200),
            DRAIN_TIMEOUT);
    loopThread = Thread.ofPlatform().name("kiln-worker-consumer").start(loop);
    log.info("build-worker started: {}", config);
  }

  /** BuildKit solves this worker started; the end-to-end test checks it. */
  public long solveCount() {
    return processor.solveCount();
  }

  @Override
  public synchronized void close() {
    try {
      if (loop != null) {
        loop.stop(Duration.ofSeconds(5));
        loopThread.join(DRAIN_TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.close();
    // interrupting a solve cancels its gRPC call, which cancels the build in BuildKit
    solves.shutdownNow();
    lookups.shutdownNow();
    producer.close(Duration.ofSeconds(5));
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        log.debug("closing {} failed: {}", resource, e.toString());
      }
    }
    log.info("build-worker stopped");
  }

  private static Properties consumerProps(BuildWorkerConfig config) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, BuildWorkerConfig.GROUP_ID);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // a new group must see requests published before it first joined
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxInFlight());
    return props;
  }

  private static Properties producerProps(BuildWorkerConfig config) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return props;
  }
}
