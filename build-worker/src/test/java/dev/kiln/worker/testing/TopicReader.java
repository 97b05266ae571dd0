package dev.kiln.worker.testing;

import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.kiln.events.ProtoSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads one topic from the beginning, for assertions on what the worker published. */
public final class TopicReader<T extends Message> implements AutoCloseable {
  private final KafkaConsumer<String, T> consumer;
  private final List<ConsumerRecord<String, T>> seen = new ArrayList<>();

  public TopicReader(String bootstrap, String topic, Parser<T> parser) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), ProtoSerde.deserializer(parser));
    consumer.subscribe(List.of(topic));
  }

  /** Reads until {@code done} holds for everything read so far, or fails after {@code timeout}. */
  public List<ConsumerRecord<String, T>> readUntil(
      Predicate<List<ConsumerRecord<String, T>>> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(seen)) {
      if (System.nanoTime() > deadline) {
        fail("waited " + timeout + " for events but only saw " + seen);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    }
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
