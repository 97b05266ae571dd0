package dev.kiln.core.context;

/**
 * How large a context archive may be.
 *
 * @param maxBytes the most bytes the tar stream may hold, headers included
 * @param maxEntries the most entries (files, directories, links) it may hold
 */
public record ContextLimits(long maxBytes, int maxEntries) {

  public static final ContextLimits DEFAULT = new ContextLimits(2L << 30, 200_000);

  public ContextLimits {
    if (maxBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("context limits must be positive");
    }
  }
}
