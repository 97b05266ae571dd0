package dev.kiln.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.worker.testing.Events;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashedEventLoopTest {
  private static final TopicPartition P0 = new TopicPartition(Topics.BUILD_HASHED, 0);

  private final RecordingConsumer consumer = new RecordingConsumer();
  // the work of each record, by request id; the test decides when it is done
  private final Map<String, CompletableFuture<Void>> work = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private HashedEventLoop loop;
  private Thread thread;

  @AfterEach
  void stop() throws InterruptedException {
    work.values().forEach(w -> w.complete(null));
    if (loop != null) {
      loop.stop(Duration.ofSeconds(5));
      thread.join(10_000);
    }
    executor.shutdownNow();
  }

  @Test
  void recordsFinishingOutOfOrderAreCommittedOnlyUpToTheFirstUnfinishedOne() throws Exception {
    start(10);
    deliver(P0, 0, "a");
    deliver(P0, 1, "b");
    deliver(P0, 2, "c");
    eventually(() -> work.size() == 3);

    work.get("c").complete(null);
    work.get("b").complete(null);
    afterTwoPolls();
    assertThat(committed(P0)).isIn(null, 0L);

    work.get("a").complete(null);
    eventually(() -> Long.valueOf(3).equals(committed(P0)));
  }

  @Test
  void aSlowRecordDoesNotHoldBackTheOthersWork() throws Exception {
    start(10);
    deliver(P0, 0, "slow");
    deliver(P0, 1, "quick");

    eventually(() -> work.containsKey("slow") && work.containsKey("quick"));
    work.get("quick").complete(null);
    afterTwoPolls();

    assertThat(loop.inFlight()).isEqualTo(1);
    assertThat(committed(P0)).isIn(null, 0L);
  }

  @Test
  void partitionsArePausedWhileTooManyRecordsAreInFlight() throws Exception {
    start(2);
    deliver(P0, 0, "a");
    deliver(P0, 1, "b");
    eventually(() -> paused().contains(P0) && work.size() == 2);

    work.get("a").complete(null);
    work.get("b").complete(null);
    eventually(() -> paused().isEmpty());
    eventually(() -> Long.valueOf(2).equals(committed(P0)));
  }

  @Test
  void aRevokedPartitionCommitsTheWorkThatFinished() throws Exception {
    start(10);
    deliver(P0, 0, "done");
    deliver(P0, 1, "pending");
    eventually(() -> work.size() == 2);

    CountDownLatch revoked = new CountDownLatch(1);
    consumer.schedulePollTask(
        () -> {
          // finishes right before the revocation, so only the revocation can commit it
          work.get("done").complete(null);
          consumer.rebalance(List.of());
          revoked.countDown();
        });
    assertThat(revoked.await(10, TimeUnit.SECONDS)).isTrue();

    // MockConsumer hides the commits of partitions it no longer owns, so look at the calls
    assertThat(consumer.syncCommits).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(1)));
  }

  @Test
  void abandonedWorkIsNeverCommitted() throws Exception {
    start(10);
    deliver(P0, 0, "abandoned");
    deliver(P0, 1, "done");
    eventually(() -> work.size() == 2);

    work.get("abandoned").completeExceptionally(new IllegalStateException("worker closing"));
    work.get("done").complete(null);
    afterTwoPolls();

    assertThat(committed(P0)).isIn(null, 0L);
  }

  private void start(int maxInFlight) {
    loop =
        new HashedEventLoop(
            consumer,
            event ->
                work.computeIfAbsent(
                    event.getRequest().getRequestId(), id -> new CompletableFuture<>()),
            executor,
            maxInFlight,
            Duration.ofMillis(10),
            Duration.ofMillis(200));
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(P0));
          consumer.updateBeginningOffsets(Map.of(P0, 0L));
        });
    thread = Thread.ofPlatform().name("test-consumer").start(loop);
  }

  private void deliver(TopicPartition partition, long offset, String requestId) {
    consumer.schedulePollTask(
        () ->
            consumer.addRecord(
                new ConsumerRecord<>(
                    partition.topic(),
                    partition.partition(),
                    offset,
                    Events.HASH,
                    Events.hashed(requestId).build())));
  }

  /** Returns once the loop went through two more polls, so it had a chance to commit. */
  private void afterTwoPolls() throws InterruptedException {
    CountDownLatch polled = new CountDownLatch(2);
    consumer.schedulePollTask(polled::countDown);
    consumer.schedulePollTask(polled::countDown);
    assertThat(polled.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private Long committed(TopicPartition partition) {
    OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
    return offset == null ? null : offset.offset();
  }

  private Set<TopicPartition> paused() {
    return consumer.paused();
  }

  /** Remembers synchronous commits, which MockConsumer forgets once a partition is revoked. */
  private static final class RecordingConsumer extends MockConsumer<String, BuildHashed> {
    final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new CopyOnWriteArrayList<>();

    RecordingConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      syncCommits.add(Map.copyOf(offsets));
      super.commitSync(offsets);
    }
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
      Thread.sleep(5);
    }
  }
}
