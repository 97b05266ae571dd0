package dev.kiln.hashsvc;

import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.store.DirectoryContextStore;
import dev.kiln.events.ProtoSerde;
import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildRequested;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code build.requested}, computes the build hash from the stored context and publishes
 * {@code build.hashed} keyed by that hash. A request's offset is committed only after its result is
 * acknowledged by Kafka, so a crash redelivers it; hashing twice is harmless.
 */
public final class HashService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HashService.class);

  private final HashServiceConfig config;
  private final RequestHasher hasher;
  private final KafkaConsumer<String, BuildRequested> consumer;
  private final KafkaProducer<String, com.google.protobuf.Message> producer;
  private final AtomicBoolean running = new AtomicBoolean();
  private final Thread loop;

  public HashService(HashServiceConfig config, Clock clock) {
    this.config = config;
    this.hasher =
        new RequestHasher(new DirectoryContextStore(config.contextDir()), new BuildHasher(), clock);
    this.consumer =
        new KafkaConsumer<>(
            consumerProps(config),
            new StringDeserializer(),
            ProtoSerde.deserializer(BuildRequested.parser()));
    this.producer =
        new KafkaProducer<>(producerProps(config), new StringSerializer(), ProtoSerde.serializer());
    this.loop = Thread.ofPlatform().name("hash-service").unstarted(this::run);
  }

  public void start() throws InterruptedException {
    Topics.ensureCreated(config.kafkaBootstrap(), Topics.DEFAULT_PARTITIONS, (short) 1);
    running.set(true);
    consumer.subscribe(List.of(Topics.BUILD_REQUESTED));
    loop.start();
    log.info("hash-service consuming {} from {}", Topics.BUILD_REQUESTED, config.kafkaBootstrap());
  }

  private void run() {
    try {
      while (running.get()) {
        ConsumerRecords<String, BuildRequested> records = consumer.poll(config.pollTimeout());
        for (ConsumerRecord<String, BuildRequested> record : records) {
          publish(hasher.hash(record.value()));
        }
        if (!records.isEmpty()) {
          producer.flush();
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Kafka refused a result: stop without committing so the request is redelivered.
      log.error("hash-service stopped: tried to publish a result but Kafka failed", e);
    } finally {
      consumer.close();
    }
  }

  private void publish(RequestHasher.Result result)
      throws InterruptedException, ExecutionException {
    if (result.hashed() != null) {
      BuildHashed hashed = result.hashed();
      log.debug(
          "build {} hashed {} (verified={})",
          hashed.getRequest().getRequestId(),
          hashed.getHash(),
          hashed.getVerified());
      producer.send(new ProducerRecord<>(Topics.BUILD_HASHED, hashed.getHash(), hashed)).get();
    } else {
      BuildCompleted failed = result.failed();
      log.info("build {} cannot be hashed: {}", failed.getRequestId(), failed.getError());
      String key = failed.getNamespace() + "/" + failed.getImage();
      producer.send(new ProducerRecord<>(Topics.BUILD_COMPLETED, key, failed)).get();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    if (loop.isAlive()) {
      loop.join();
    }
    producer.close();
  }

  private static Properties consumerProps(HashServiceConfig config) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, HashServiceConfig.CONSUMER_GROUP);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    return props;
  }

  private static Properties producerProps(HashServiceConfig config) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return props;
  }
}
