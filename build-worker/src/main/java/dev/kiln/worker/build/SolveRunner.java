package dev.kiln.worker.build;

import dev.kiln.worker.buildkit.BuildKitException;
import dev.kiln.worker.buildkit.ProgressListener;
import dev.kiln.worker.buildkit.SolveResult;
import dev.kiln.worker.buildkit.SolveSpec;
import dev.kiln.worker.buildkit.Solver;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs solves with a deadline, tries again when the daemon was unreachable, and counts every solve
 * it starts. A failed build is never retried: BuildKit's answer is final.
 */
public final class SolveRunner {
  private static final Logger log = LoggerFactory.getLogger(SolveRunner.class);

  private final Solver solver;
  private final Duration timeout;
  private final Backoff backoff;
  private final AtomicLong started = new AtomicLong();

  /**
   * @param timeout how long one solve may take, pushing included
   */
  public SolveRunner(Solver solver, Duration timeout, Backoff backoff) {
    this.solver = solver;
    this.timeout = timeout;
    this.backoff = backoff;
  }

  public SolveResult run(SolveSpec spec, ProgressListener listener) {
    for (int attempt = 1; ; attempt++) {
      started.incrementAndGet();
      try {
        return solver.solve(
            spec, listener, Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (BuildKitException e) {
        if (!e.retryable() || attempt >= backoff.attempts() || !backoff.pause(attempt)) {
          throw e;
        }
        log.debug(
            "solve of {} attempt {} failed, trying again: {}",
            spec.pushRef(),
            attempt,
            e.getMessage());
      }
    }
  }

  public long count() {
    return started.get();
  }

  public String builder() {
    return solver.builder();
  }
}
