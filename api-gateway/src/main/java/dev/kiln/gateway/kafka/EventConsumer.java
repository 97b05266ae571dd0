package dev.kiln.gateway.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer-group member on its own thread. Each record's offset is committed only after its
 * handler returned, i.e. after the database work is done; a handler that throws leaves the record
 * uncommitted and it is retried after a pause, so nothing is lost when the database or the
 * registry-service is briefly away.
 */
public final class EventConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

  /** Handles one record; throws to have it retried. */
  @FunctionalInterface
  public interface RecordHandler {
    void handle(ConsumerRecord<String, byte[]> record) throws Exception;
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final RecordHandler handler;
  private final Duration retryPause;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  public EventConsumer(
      String bootstrap, String groupId, String topic, RecordHandler handler, Duration retryPause) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.handler = handler;
    this.retryPause = retryPause;
    this.thread = Thread.ofPlatform().name(groupId).daemon().unstarted(this::run);
  }

  public EventConsumer start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic));
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (TopicPartition partition : records.partitions()) {
          if (!handlePartition(partition, records.records(partition))) {
            pause();
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("consumer of {} woken up unexpectedly", topic, e);
      }
    } catch (RuntimeException e) {
      log.error("consumer of {} stopped: {}", topic, e.toString(), e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      stopped.countDown();
    }
  }

  /** Handles the partition's records in order; false when one failed and was rewound. */
  private boolean handlePartition(
      TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        handler.handle(record);
      } catch (Exception e) {
        log.warn(
            "handling {}/{}/{} failed, will retry: {}",
            topic,
            partition.partition(),
            record.offset(),
            e.toString());
        consumer.seek(partition, record.offset());
        return false;
      }
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
    }
    return true;
  }

  private void pause() {
    try {
      Thread.sleep(retryPause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Decodes a record's protobuf value; a value that is not one (a poison record) is logged and
   * skipped, since retrying it can never succeed.
   */
  public static <T> Optional<T> decode(Parser<T> parser, ConsumerRecord<String, byte[]> record) {
    try {
      return Optional.of(parser.parseFrom(record.value() == null ? new byte[0] : record.value()));
    } catch (InvalidProtocolBufferException e) {
      log.warn("skipping {}: its value is not a valid event ({})", source(record), e.getMessage());
      return Optional.empty();
    }
  }

  /** The record's identity, {@code <topic>/<partition>/<offset>}, for deduplication. */
  public static String source(ConsumerRecord<?, ?> record) {
    return record.topic() + "/" + record.partition() + "/" + record.offset();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        log.warn("consumer of {} did not stop within 10 s", topic);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
