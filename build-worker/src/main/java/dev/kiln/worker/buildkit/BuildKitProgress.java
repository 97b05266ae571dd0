package dev.kiln.worker.buildkit;

import java.time.Instant;

/** One progress update of a solve, in the order BuildKit reported it. */
public sealed interface BuildKitProgress {

  /**
   * A build step changed state. BuildKit reports a step again on every change, so the same digest
   * arrives several times.
   *
   * @param started null until the step started
   * @param completed null until the step finished
   * @param error empty unless the step failed
   */
  record VertexChanged(
      String digest, String name, boolean cached, Instant started, Instant completed, String error)
      implements BuildKitProgress {}

  /**
   * Output of a running step.
   *
   * @param stream 1 = stdout, 2 = stderr
   */
  record Log(String vertex, int stream, byte[] data) implements BuildKitProgress {}

  /** A sub-task of a step finished, e.g. "pushing manifest for &lt;ref&gt;". */
  record TaskDone(String vertex, String name) implements BuildKitProgress {}

  /** A warning about the build definition, e.g. a Dockerfile lint finding. */
  record Warning(String vertex, String text) implements BuildKitProgress {}
}
