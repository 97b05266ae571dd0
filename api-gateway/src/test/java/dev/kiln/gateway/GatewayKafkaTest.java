package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kiln.core.context.ContextLimits;
import dev.kiln.events.ProtoSerde;
import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.BuildStarted;
import dev.kiln.events.v1.Outcome;
import dev.kiln.gateway.SseReader.Frame;
import dev.kiln.gateway.TestGateway.Response;
import dev.kiln.registry.v1.RetagRequest;
import dev.kiln.testkit.EmbeddedKafka;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway with a real in-JVM Kafka broker and a gRPC registry-service on loopback. */
class GatewayKafkaTest {
  private static final Duration GUARD = Duration.ofSeconds(60);
  private static EmbeddedKafka kafka;
  private static FakeRegistryService registry;
  private static TestDatabase database;
  private static Gateway gateway;
  private static KafkaProducer<String, byte[]> producer;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static String cindy;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = new FakeRegistryService();
    database = TestDatabase.create(GatewayKafkaTest.class);
    Gateway.Config config =
        new Gateway.Config(
            kafka.bootstrapServers(),
            database.url(),
            database.user(),
            database.password(),
            "127.0.0.1",
            0,
            "http://127.0.0.1:8480",
            Files.createTempDirectory("kiln-gw-kafka"),
            TestGateway.URL_SECRET,
            TestGateway.ADMIN_TOKEN,
            TestGateway.REGISTRY,
            "kiln",
            registry.address(),
            ContextLimits.DEFAULT,
            1 << 20);
    gateway = new Gateway(config, Clock.systemUTC()).start();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    cindy =
        post(
                "/v1/admin/tokens",
                TestGateway.ADMIN_TOKEN,
                "{\"org\":\"acme\",\"namespace\":\"cindy\"}")
            .json()
            .path("token")
            .asText();
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close();
    gateway.close();
    database.close();
    registry.close();
    kafka.close();
  }

  @Test
  void buildFlowsFromRequestToTaggedSuccessThroughKafka() throws Exception {
    Response accepted =
        post(
            "/v1/builds",
            cindy,
            "{\"namespace\":\"cindy\",\"image\":\"api\",\"clientHash\":\"" + Builds.HASH_A + "\"}");
    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().path("id").asText();

    ConsumerRecord<String, BuildRequested> requested = firstRequested(id);
    assertThat(requested.key()).isEqualTo(id);
    assertThat(requested.value().getClientHash()).isEqualTo(Builds.HASH_A);

    send(
        Topics.BUILD_PROGRESS,
        id,
        BuildProgress.newBuilder()
            .setRequestId(id)
            .setSeq(1)
            .setStarted(BuildStarted.newBuilder().setBuilder("tcp://127.0.0.1:11234"))
            .build()
            .toByteArray());
    send(
        Topics.BUILD_PROGRESS,
        id,
        BuildProgress.newBuilder()
            .setRequestId(id)
            .setSeq(2)
            .setMessage("building")
            .build()
            .toByteArray());
    BuildCompleted done =
        Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1).toBuilder()
            .setOrg("acme")
            .setNamespace("cindy")
            .setImage("api")
            .setTag("kiln")
            .setSequence(1)
            .build();
    send(Topics.BUILD_COMPLETED, "cindy/api", done.toByteArray());

    List<Frame> frames = events(id);

    assertThat(frames).extracting(Frame::event).last().isEqualTo("state");
    assertThat(frames.get(frames.size() - 1).data()).contains("SUCCEEDED");
    assertThat(frames).anySatisfy(f -> assertThat(f.data()).contains("BUILDING"));
    assertThat(frames).anySatisfy(f -> assertThat(f.data()).contains("building"));
    assertThat(registry.retags())
        .containsExactly(
            RetagRequest.newBuilder()
                .setSource(
                    TestGateway.REGISTRY + "/kiln/api:" + Builds.HASH_A + "@" + Builds.DIGEST_1)
                .setTarget(TestGateway.REGISTRY + "/cindy/api:kiln")
                .setExpectedDigest(Builds.DIGEST_1)
                .build());
  }

  @Test
  void poisonRecordsAreSkippedWithoutBlockingTheTopic() throws Exception {
    Response accepted =
        post(
            "/v1/builds",
            cindy,
            "{\"namespace\":\"cindy\",\"image\":\"poison\",\"clientHash\":\""
                + Builds.HASH_A
                + "\"}");
    String id = accepted.json().path("id").asText();

    send(Topics.BUILD_COMPLETED, "cindy/poison", new byte[] {(byte) 0xff, 0x01, 0x02});
    send(
        Topics.BUILD_COMPLETED,
        "cindy/poison",
        Builds.completion(id, Outcome.FAILED)
            .setError("Dockerfile not found")
            .build()
            .toByteArray());

    List<Frame> frames = events(id);

    assertThat(frames.get(frames.size() - 1).data()).contains("Dockerfile not found");
  }

  private static ConsumerRecord<String, BuildRequested> firstRequested(String id) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + id);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, BuildRequested> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), ProtoSerde.deserializer(BuildRequested.parser()))) {
      consumer.subscribe(List.of(Topics.BUILD_REQUESTED));
      List<ConsumerRecord<String, BuildRequested>> found = new ArrayList<>();
      assertTimeoutPreemptively(
          GUARD,
          () -> {
            while (found.isEmpty()) {
              for (var record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key().equals(id)) {
                  found.add(record);
                }
              }
            }
          });
      return found.get(0);
    }
  }

  private static void send(String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private static List<Frame> events(String id) {
    List<Frame> frames = new ArrayList<>();
    assertTimeoutPreemptively(
        GUARD,
        () -> {
          HttpResponse<InputStream> response =
              http.send(
                  HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/builds/" + id + "/events"))
                      .header("Authorization", "Bearer " + cindy)
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
          try (SseReader sse = new SseReader(response.body())) {
            for (Frame f = sse.next(); f != null; f = sse.next()) {
              if (f.comment() == null) {
                frames.add(f);
              }
            }
          }
        });
    return frames;
  }

  private static Response post(String path, String token, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body(), response.headers());
  }
}
