package dev.kiln.bench.registry;

import java.util.Arrays;

/** Latencies of one operation on one path, in nanoseconds, with nearest-rank percentiles. */
final class Samples {

  private final long[] nanos;
  private int count;

  Samples(int capacity) {
    this.nanos = new long[capacity];
  }

  void add(long value) {
    nanos[count++] = value;
  }

  int count() {
    return count;
  }

  /** The nearest-rank percentile in milliseconds. */
  double percentileMillis(double percentile) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1_000_000.0;
  }
}
