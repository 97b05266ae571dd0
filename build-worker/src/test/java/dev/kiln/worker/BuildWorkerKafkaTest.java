package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.events.ProtoSerde;
import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.Outcome;
import dev.kiln.testkit.EmbeddedKafka;
import dev.kiln.worker.build.Backoff;
import dev.kiln.worker.buildkit.BuildKitAddress;
import dev.kiln.worker.testing.Events;
import dev.kiln.worker.testing.FakeRegistry;
import dev.kiln.worker.testing.FakeSolver;
import dev.kiln.worker.testing.TopicReader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole worker on a real (in-JVM) Kafka broker, with a fake registry-service and solver. */
class BuildWorkerKafkaTest {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void identicalRequestsAreBuiltOnceAndEveryRequestIsCompletedAndCommitted() throws Exception {
    try (FakeRegistry registry = new FakeRegistry();
        TopicReader<BuildCompleted> completions =
            new TopicReader<>(
                kafka.bootstrapServers(), Topics.BUILD_COMPLETED, BuildCompleted.parser());
        TopicReader<BuildProgress> progress =
            new TopicReader<>(
                kafka.bootstrapServers(), Topics.BUILD_PROGRESS, BuildProgress.parser())) {
      FakeSolver solver = new FakeSolver().pushingTo(registry);
      String cachedRef = Events.REGISTRY + "/kiln/web:" + Events.HASH;
      registry.withImage(cachedRef, FakeSolver.DIGEST);
      BuildHashed cached = Events.hashed("w-cached").build();
      cached =
          cached.toBuilder().setRequest(cached.getRequest().toBuilder().setImage("web")).build();

      try (BuildWorker worker = worker(solver, registry)) {
        worker.start();
        publish(
            Events.hashed("w-1").build(),
            Events.hashed("w-2").build(),
            cached,
            Events.lookupOnly("w-lookup").setHash("ab".repeat(32)).build());

        List<ConsumerRecord<String, BuildCompleted>> done =
            completions.readUntil(records -> records.size() >= 4, Duration.ofSeconds(60));

        Map<String, BuildCompleted> byRequest =
            done.stream()
                .map(ConsumerRecord::value)
                .collect(Collectors.toMap(BuildCompleted::getRequestId, c -> c));
        assertThat(byRequest.get("w-1").getDigest()).isEqualTo(FakeSolver.DIGEST);
        assertThat(byRequest.get("w-2").getDigest()).isEqualTo(FakeSolver.DIGEST);
        assertThat(List.of(byRequest.get("w-1").getOutcome(), byRequest.get("w-2").getOutcome()))
            .contains(Outcome.BUILT)
            .allMatch(o -> o == Outcome.BUILT || o == Outcome.SKIPPED);
        assertThat(byRequest.get("w-cached").getOutcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(byRequest.get("w-lookup").getOutcome()).isEqualTo(Outcome.NEEDS_CONTEXT);
        assertThat(done)
            .allSatisfy(r -> assertThat(r.key()).isEqualTo("cindy/" + r.value().getImage()));
        assertThat(worker.solveCount()).isEqualTo(1);

        List<ConsumerRecord<String, BuildProgress>> updates =
            progress.readUntil(
                records -> records.stream().anyMatch(r -> r.value().hasStarted()),
                Duration.ofSeconds(30));
        assertThat(updates)
            .allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getRequestId()));

        awaitCommitted(4);
      }
    }
  }

  private static BuildWorker worker(FakeSolver solver, FakeRegistry registry) {
    BuildWorkerConfig config =
        new BuildWorkerConfig(
            kafka.bootstrapServers(),
            "in-process",
            BuildKitAddress.parse("tcp://127.0.0.1:1"),
            "http://127.0.0.1:8480",
            "secret",
            2,
            64,
            Duration.ofMinutes(5));
    return new BuildWorker(
        config,
        solver,
        registry.channel(),
        Clock.systemUTC(),
        new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(50), Backoff.Sleeper.REAL));
  }

  private static void publish(BuildHashed... events) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, BuildHashed> producer =
        new KafkaProducer<>(props, new StringSerializer(), ProtoSerde.serializer())) {
      for (BuildHashed event : events) {
        producer.send(new ProducerRecord<>(Topics.BUILD_HASHED, event.getHash(), event)).get();
      }
    }
  }

  /** Waits until the worker's group committed {@code count} records of build.hashed in total. */
  private static void awaitCommitted(long count) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long committed = 0;
      while (committed < count && System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin
                .listConsumerGroupOffsets(BuildWorkerConfig.GROUP_ID)
                .partitionsToOffsetAndMetadata()
                .get();
        committed =
            offsets.values().stream()
                .filter(o -> o != null)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
        Thread.sleep(100);
      }
      assertThat(committed)
          .as("offsets committed by %s", BuildWorkerConfig.GROUP_ID)
          .isEqualTo(count);
    }
  }
}
