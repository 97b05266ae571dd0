package dev.kiln.worker.testing;

import dev.kiln.worker.buildkit.BuildKitException;
import dev.kiln.worker.buildkit.BuildKitProgress;
import dev.kiln.worker.buildkit.ProgressListener;
import dev.kiln.worker.buildkit.SolveResult;
import dev.kiln.worker.buildkit.SolveSpec;
import dev.kiln.worker.buildkit.Solver;
import io.grpc.Deadline;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A solver that reports one step and "pushes" a fixed digest; it can be held until released and
 * made to fail.
 */
public final class FakeSolver implements Solver {
  public static final String DIGEST =
      "sha256:1111111111111111111111111111111111111111111111111111111111111111";

  private final List<SolveSpec> specs = new CopyOnWriteArrayList<>();
  private final Queue<BuildKitException> failures = new ConcurrentLinkedQueue<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile FakeRegistry pushTo;

  /** Solves wait in {@link #solve} until {@link #release()}. */
  public FakeSolver held() {
    gate = new CountDownLatch(1);
    return this;
  }

  public void release() {
    gate.countDown();
  }

  /** Waits until a solve has begun. */
  public boolean awaitStarted() throws InterruptedException {
    return started.await(30, TimeUnit.SECONDS);
  }

  /** Successful solves "push" their image into {@code registry}, as BuildKit's exporter would. */
  public FakeSolver pushingTo(FakeRegistry registry) {
    pushTo = registry;
    return this;
  }

  /** The next solves fail with these, in order. */
  public FakeSolver failingWith(BuildKitException... errors) {
    failures.addAll(List.of(errors));
    return this;
  }

  public List<SolveSpec> specs() {
    return List.copyOf(specs);
  }

  @Override
  public SolveResult solve(SolveSpec spec, ProgressListener listener, Deadline deadline) {
    specs.add(spec);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    listener.onProgress(
        new BuildKitProgress.VertexChanged("sha256:v1", "[1/1] COPY . /", false, now, null, ""));
    // "started" means the first update went out, so a test knows what an attacher missed
    started.countDown();
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the fake solver");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    BuildKitException failure = failures.poll();
    if (failure != null) {
      throw failure;
    }
    listener.onProgress(
        new BuildKitProgress.VertexChanged("sha256:v1", "[1/1] COPY . /", false, now, now, ""));
    if (pushTo != null) {
      pushTo.withImage(spec.pushRef(), DIGEST);
    }
    return new SolveResult("fake-ref", DIGEST, Map.of("containerimage.digest", DIGEST));
  }

  @Override
  public String builder() {
    return "tcp://fake-buildkit:1234";
  }
}
