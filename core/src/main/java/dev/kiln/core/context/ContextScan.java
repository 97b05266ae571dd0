package dev.kiln.core.context;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A walked build context: its entries in archive order and, at the same index, what {@code lstat}
 * said about each when it was walked. The hasher reuses the stats, so hashing an unchanged tree
 * with the stat cache costs one {@code lstat} per node, and compares them after reading a file to
 * notice that it changed in between.
 *
 * @param contextDir the directory that was walked
 * @param entries as {@link ContextWalker#walk} lists them
 * @param stats {@code stats.get(i)} belongs to {@code entries.get(i)}
 */
public record ContextScan(Path contextDir, List<ContextEntry> entries, List<FileStat> stats) {

  public ContextScan {
    Objects.requireNonNull(contextDir, "contextDir");
    entries = List.copyOf(entries);
    stats = List.copyOf(stats);
    if (entries.size() != stats.size()) {
      throw new IllegalArgumentException(
          "a context scan needs one stat per entry, got "
              + stats.size()
              + " stats for "
              + entries.size()
              + " entries");
    }
  }
}
