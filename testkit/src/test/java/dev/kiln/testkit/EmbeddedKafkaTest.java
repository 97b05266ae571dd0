package dev.kiln.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void bootstrapServersIsALoopbackAddress() {
    assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void aProducedRecordIsConsumedByAGroupWithItsKeyAndValue() throws Exception {
    String topic = "testkit.roundtrip";
    RecordMetadata sent;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
      sent = producer.send(new ProducerRecord<>(topic, "build-1", "hello kiln")).get();
    }

    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps("roundtrip"))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }

    assertThat(received)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.key()).isEqualTo("build-1");
              assertThat(record.value()).isEqualTo("hello kiln");
              assertThat(record.partition()).isEqualTo(sent.partition());
              assertThat(record.offset()).isEqualTo(sent.offset());
            });
  }

  @Test
  void brokerOverridesApply() {
    try (EmbeddedKafka strict = EmbeddedKafka.start(Map.of("auto.create.topics.enable", "false"))) {
      assertThat(strict.bootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
      Properties props = producerProps(strict);
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        assertThat(producer.send(new ProducerRecord<>("no.such.topic", "k", "v")))
            .failsWithin(Duration.ofSeconds(10));
      }
    }
  }

  private static Properties producerProps() {
    return producerProps(kafka);
  }

  private static Properties producerProps(EmbeddedKafka broker) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return props;
  }

  private static Properties consumerProps(String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return props;
  }
}
