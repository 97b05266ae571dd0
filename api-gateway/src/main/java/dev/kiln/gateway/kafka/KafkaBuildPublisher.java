package dev.kiln.gateway.kafka;

import dev.kiln.events.ProtoSerde;
import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildRequested;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes {@code build.requested} keyed by request id, waiting for acks from all replicas. */
public final class KafkaBuildPublisher implements BuildPublisher {
  private final Producer<String, BuildRequested> producer;
  private final String bootstrap;
  private final Duration ackTimeout;

  public KafkaBuildPublisher(String bootstrap, Duration ackTimeout) {
    this.bootstrap = bootstrap;
    this.ackTimeout = ackTimeout;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "kiln-gateway");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Bounded so an unreachable broker turns into a 503 instead of a hanging request.
    long timeoutMillis = ackTimeout.toMillis();
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMillis, 5_000));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer =
        new KafkaProducer<>(props, new StringSerializer(), ProtoSerde.<BuildRequested>serializer());
  }

  @Override
  public void publish(BuildRequested request) {
    ProducerRecord<String, BuildRequested> record =
        new ProducerRecord<>(Topics.BUILD_REQUESTED, request.getRequestId(), request);
    try {
      producer.send(record).get(ackTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(request, e);
    } catch (ExecutionException e) {
      throw failure(request, e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      throw failure(request, e);
    }
  }

  private PublishException failure(BuildRequested request, Throwable cause) {
    return new PublishException(
        "tried to publish build request "
            + request.getRequestId()
            + " to Kafka at "
            + bootstrap
            + " but it was not acknowledged ("
            + cause
            + ")",
        cause);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
