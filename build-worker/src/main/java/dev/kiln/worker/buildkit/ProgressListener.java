package dev.kiln.worker.buildkit;

/**
 * Receives a solve's progress. Calls for one solve come one at a time, in order, from a gRPC
 * thread: an implementation must not block for long.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = progress -> {};

  void onProgress(BuildKitProgress progress);
}
