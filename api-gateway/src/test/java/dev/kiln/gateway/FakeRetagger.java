package dev.kiln.gateway;

import dev.kiln.gateway.completion.RetagException;
import dev.kiln.gateway.completion.Retagger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records retags; failures queued with {@link #failWith} are thrown by the next calls. */
public final class FakeRetagger implements Retagger {
  /** One retag call. */
  public record Call(String source, String target, String expectedDigest) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Deque<RetagException> failures = new ArrayDeque<>();

  @Override
  public synchronized String retag(String source, String target, String expectedDigest) {
    calls.add(new Call(source, target, expectedDigest));
    RetagException failure = failures.poll();
    if (failure != null) {
      throw failure;
    }
    return expectedDigest;
  }

  public synchronized void failWith(RetagException failure, int times) {
    for (int i = 0; i < times; i++) {
      failures.add(failure);
    }
  }

  /** Drops queued failures. */
  public synchronized void clearFailures() {
    failures.clear();
  }

  public List<Call> calls() {
    return calls;
  }
}
