package dev.kiln.worker.kafka;

import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildHashed;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code build.hashed} without waiting for builds: each record is handed to the handler on
 * an executor, and a partition's offset is committed only up to the first record whose work is not
 * done ({@link OffsetTracker}). When too many records are in flight, every partition is paused
 * until some finish.
 *
 * <p>All consumer calls happen on the thread running {@link #run()}; {@link #stop()} only wakes it.
 */
public final class HashedEventLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HashedEventLoop.class);

  private final Consumer<String, BuildHashed> consumer;
  private final Function<BuildHashed, CompletableFuture<Void>> handler;
  private final Executor executor;
  private final int maxInFlight;
  private final Duration pollTimeout;
  private final Duration drainTimeout;
  // written on the consumer thread; workers only hold references to single trackers
  private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * @param handler does a record's work; its future completes when the work is done and fails when
   *     it was abandoned (the record is then redelivered after a restart or rebalance)
   * @param executor runs the handler's synchronous part
   * @param maxInFlight records in flight at which the partitions are paused
   * @param drainTimeout how long a revoked partition, or a stopping loop, waits for work in flight
   */
  public HashedEventLoop(
      Consumer<String, BuildHashed> consumer,
      Function<BuildHashed, CompletableFuture<Void>> handler,
      Executor executor,
      int maxInFlight,
      Duration pollTimeout,
      Duration drainTimeout) {
    this.consumer = consumer;
    this.handler = handler;
    this.executor = executor;
    this.maxInFlight = maxInFlight;
    this.pollTimeout = pollTimeout;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.BUILD_HASHED), new Rebalance());
      while (running) {
        pollOnce();
      }
      drain(trackers.keySet());
    } catch (WakeupException e) {
      drain(trackers.keySet());
    } catch (RuntimeException e) {
      log.error("the build.hashed consumer stopped after an unexpected failure", e);
      throw e;
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  /** Asks the loop to stop and waits for it to commit what finished and close the consumer. */
  public void stop(Duration timeout) throws InterruptedException {
    running = false;
    consumer.wakeup();
    stopped.await(timeout.toMillis() + drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records handed out whose work is not finished. */
  public int inFlight() {
    return inFlight.get();
  }

  private void pollOnce() {
    ConsumerRecords<String, BuildHashed> records;
    try {
      records = consumer.poll(pollTimeout);
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
      return;
    } catch (RecordDeserializationException e) {
      // an undecodable event can never succeed; skipping it is the only way forward
      log.error(
          "skipping undecodable record {} at offset {}: {}",
          e.topicPartition(),
          e.offset(),
          e.getMessage());
      consumer.seek(e.topicPartition(), e.offset() + 1);
      return;
    }
    for (ConsumerRecord<String, BuildHashed> record : records) {
      dispatch(record);
    }
    commit(trackers.keySet(), false);
    applyBackpressure();
  }

  private void dispatch(ConsumerRecord<String, BuildHashed> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    OffsetTracker tracker = trackers.computeIfAbsent(partition, p -> new OffsetTracker());
    long offset = record.offset();
    tracker.started(offset);
    if (record.value() == null) {
      tracker.finished(offset);
      return;
    }
    inFlight.incrementAndGet();
    CompletableFuture.supplyAsync(() -> handler.apply(record.value()), executor)
        .thenCompose(Function.identity())
        .whenComplete(
            (done, error) -> {
              inFlight.decrementAndGet();
              if (error == null) {
                tracker.finished(offset);
              } else {
                log.warn(
                    "work on {} offset {} was abandoned and will be redelivered: {}",
                    partition,
                    offset,
                    error.toString());
              }
            });
  }

  private void applyBackpressure() {
    if (inFlight.get() >= maxInFlight) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private void commit(Collection<TopicPartition> partitions, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetTracker tracker = trackers.get(partition);
      if (tracker != null) {
        tracker.nextCommit().ifPresent(o -> offsets.put(partition, new OffsetAndMetadata(o)));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    if (!sync) {
      consumer.commitAsync(
          offsets,
          (committed, error) -> {
            if (error == null) {
              committed.forEach((p, o) -> committedOn(p, o.offset()));
            } else {
              log.debug("async commit of {} failed: {}", committed, error.toString());
            }
          });
      return;
    }
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        consumer.commitSync(offsets);
        offsets.forEach((p, o) -> committedOn(p, o.offset()));
        return;
      } catch (WakeupException e) {
        // a stop() raced with this commit; the wake-up is used up now, so the retry goes through
      } catch (KafkaException e) {
        log.warn(
            "tried to commit {} but failed; those records will be redelivered: {}",
            offsets,
            e.toString());
        return;
      }
    }
  }

  private void committedOn(TopicPartition partition, long offset) {
    OffsetTracker tracker = trackers.get(partition);
    if (tracker != null) {
      tracker.committed(offset);
    }
  }

  /** Waits for the work of {@code partitions}, then commits what finished. */
  private void drain(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    for (TopicPartition partition : List.copyOf(partitions)) {
      OffsetTracker tracker = trackers.get(partition);
      try {
        if (tracker != null
            && !tracker.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          log.info(
              "{} still has {} records in flight; they will be redelivered",
              partition,
              tracker.inFlight());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    commit(partitions, true);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      drain(partitions);
      partitions.forEach(trackers::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.debug("assigned {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // another member owns them already: committing now would be rejected
      partitions.forEach(trackers::remove);
    }
  }
}
