package dev.kiln.worker.build;

/** What the worker does with one hashed build request. */
public enum Decision {
  /** The cache tag exists: complete as SKIPPED with its digest. */
  SKIP,
  /** Run a BuildKit solve that pushes the cache tag: complete as BUILT. */
  BUILD,
  /** The worker cannot build without the context: the client must upload it. */
  NEEDS_CONTEXT
}
