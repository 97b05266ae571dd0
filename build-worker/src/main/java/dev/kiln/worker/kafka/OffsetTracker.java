package dev.kiln.worker.kafka;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition that are being worked on. Records finish in any order; the offset to
 * commit is the first one still pending (or one past the highest started when none is), so a commit
 * never covers a record whose work is not done.
 *
 * <p>Thread-safe: workers call {@link #finished} while the consumer thread asks {@link
 * #nextCommit}. Every field is guarded by {@code this}.
 */
final class OffsetTracker {
  private final TreeSet<Long> pending = new TreeSet<>();
  private long highestStarted = -1;
  // the highest offset known to be committed; -1 = none yet
  private long committed = -1;

  synchronized void started(long offset) {
    pending.add(offset);
    highestStarted = Math.max(highestStarted, offset);
  }

  synchronized void finished(long offset) {
    if (pending.remove(offset)) {
      notifyAll();
    }
  }

  /**
   * The offset to commit now (Kafka's "next record to read") when it is beyond the last one
   * committed; empty when there is nothing new to commit.
   */
  synchronized OptionalLong nextCommit() {
    if (highestStarted < 0) {
      return OptionalLong.empty();
    }
    long next = pending.isEmpty() ? highestStarted + 1 : pending.first();
    return next > committed ? OptionalLong.of(next) : OptionalLong.empty();
  }

  /** Records that the broker accepted a commit of {@code offset}. */
  synchronized void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  synchronized int inFlight() {
    return pending.size();
  }

  /**
   * Waits until no record is pending or {@code timeout} passed; used when a partition is taken
   * away, to commit as much finished work as possible before another worker takes over.
   *
   * @return true when idle
   */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty()) {
      long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (leftMillis <= 0) {
        return false;
      }
      wait(leftMillis);
    }
    return true;
  }
}
