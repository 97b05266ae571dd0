package dev.kiln.worker.buildkit;

import io.grpc.Deadline;

/** Runs image builds. {@link BuildKitClient} is the real one; tests use fakes. */
public interface Solver {

  /**
   * Builds and pushes the image {@code spec} describes, forwarding progress to {@code listener}
   * until the build ends (all progress is delivered before this returns or throws).
   *
   * @throws BuildKitException when the build fails, the daemon is unreachable or the deadline
   *     passes
   */
  SolveResult solve(SolveSpec spec, ProgressListener listener, Deadline deadline);

  /** Where builds run, e.g. "tcp://127.0.0.1:11234"; shown to users. */
  String builder();
}
