package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.image.Digest;
import dev.kiln.events.ProtoSerde;
import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.ContextRef;
import dev.kiln.events.v1.Outcome;
import dev.kiln.testkit.EmbeddedKafka;
import dev.kiln.worker.build.Backoff;
import dev.kiln.worker.buildkit.BuildKitAddress;
import dev.kiln.worker.buildkit.BuildKitClient;
import dev.kiln.worker.testing.ContextServer;
import dev.kiln.worker.testing.Events;
import dev.kiln.worker.testing.FakeRegistry;
import dev.kiln.worker.testing.StackForTests;
import dev.kiln.worker.testing.TestTar;
import dev.kiln.worker.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The worker driving the real BuildKit daemon of the stack: contexts come from an HTTP server
 * standing in for the gateway, images land in the stack's registry.
 */
class BuildWorkerBuildKitTest {
  private static final String CACHE_NS = "kiln-worker-it";

  @Test
  void buildsPushesTheCacheTagAndReportsProgressAndBuildKitFailures() throws Exception {
    StackForTests.requireReachable();
    String goodHash = randomHash();
    String badHash = randomHash();
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        ContextServer gateway = new ContextServer();
        FakeRegistry registryService = new FakeRegistry();
        BuildKitClient buildkit =
            BuildKitClient.connect(BuildKitAddress.parse(StackForTests.buildkitAddr()))) {
      BuildHashed good =
          event(
              "good",
              goodHash,
              gateway,
              new TestTar()
                  .file("Dockerfile", "FROM scratch\nCOPY app.txt /app.txt\n")
                  .file("app.txt", "built by kiln " + goodHash + "\n")
                  .bytes());
      BuildHashed bad =
          event(
              "bad",
              badHash,
              gateway,
              new TestTar().file("Dockerfile", "FROM scratch\nCOPYY app.txt /\n").bytes());

      try (BuildWorker worker =
              new BuildWorker(
                  config(kafka, gateway),
                  buildkit,
                  registryService.channel(),
                  Clock.systemUTC(),
                  new Backoff(
                      3, Duration.ofMillis(200), Duration.ofSeconds(1), Backoff.Sleeper.REAL));
          TopicReader<BuildCompleted> completions =
              new TopicReader<>(
                  kafka.bootstrapServers(), Topics.BUILD_COMPLETED, BuildCompleted.parser());
          TopicReader<BuildProgress> progress =
              new TopicReader<>(
                  kafka.bootstrapServers(), Topics.BUILD_PROGRESS, BuildProgress.parser())) {
        worker.start();
        publish(kafka, good, bad);

        Map<String, BuildCompleted> done =
            completions.readUntil(r -> r.size() >= 2, Duration.ofMinutes(3)).stream()
                .map(ConsumerRecord::value)
                .collect(Collectors.toMap(BuildCompleted::getRequestId, c -> c));

        BuildCompleted built = done.get("good");
        assertThat(built.getOutcome()).as(built.getError()).isEqualTo(Outcome.BUILT);
        assertThat(built.getCacheRef())
            .isEqualTo(StackForTests.registry() + "/" + CACHE_NS + "/app:" + goodHash);
        assertThat(StackForTests.manifestDigest(CACHE_NS + "/app", goodHash))
            .contains(built.getDigest());

        BuildCompleted failed = done.get("bad");
        assertThat(failed.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.getError()).contains("unknown instruction: COPYY");

        List<BuildProgress> updates =
            progress
                .readUntil(
                    r ->
                        r.stream()
                            .anyMatch(
                                u -> u.value().getVertex().getName().contains("COPY app.txt")),
                    Duration.ofSeconds(30))
                .stream()
                .map(ConsumerRecord::value)
                .filter(u -> u.getRequestId().equals("good"))
                .toList();
        assertThat(updates.getFirst().getStarted().getBuilder())
            .isEqualTo(StackForTests.buildkitAddr());
        assertThat(updates).extracting(BuildProgress::getSeq).isSorted();
        assertThat(worker.solveCount()).isEqualTo(2);
        assertThat(gateway.downloads()).isGreaterThanOrEqualTo(2);
      }
    }
  }

  private static BuildHashed event(
      String requestId, String hash, ContextServer gateway, byte[] tar) {
    Digest digest = Digest.sha256(tar);
    gateway.serve("/v1/contexts/" + digest, tar);
    BuildHashed.Builder event = Events.hashed(requestId).setHash(hash);
    event
        .getRequestBuilder()
        .setImage("app")
        .setCacheNamespace(CACHE_NS)
        .setRegistry(StackForTests.registry())
        .setContext(ContextRef.newBuilder().setTarDigest(digest.toString()));
    return event.build();
  }

  private static BuildWorkerConfig config(EmbeddedKafka kafka, ContextServer gateway) {
    return new BuildWorkerConfig(
        kafka.bootstrapServers(),
        "in-process",
        BuildKitAddress.parse(StackForTests.buildkitAddr()),
        gateway.baseUrl(),
        "it-secret",
        2,
        64,
        Duration.ofMinutes(3));
  }

  private static void publish(EmbeddedKafka kafka, BuildHashed... events) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, BuildHashed> producer =
        new KafkaProducer<>(props, new StringSerializer(), ProtoSerde.serializer())) {
      for (BuildHashed event : events) {
        producer.send(new ProducerRecord<>(Topics.BUILD_HASHED, event.getHash(), event)).get();
      }
    }
  }

  private static String randomHash() {
    return Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)).hex();
  }
}
