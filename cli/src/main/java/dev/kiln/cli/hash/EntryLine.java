package dev.kiln.cli.hash;

import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextNames;

/**
 * One line of {@code kiln hash --files}: kind, executable bit, path and, for links, the target,
 * e.g. {@code file x bin/run.sh} or {@code link - current -> releases/3}. Names are quoted so each
 * entry is one line that says exactly which bytes it has: {@code \xff} for a byte that is not UTF-8
 * or a control character, a backslash doubled.
 */
final class EntryLine {
  private EntryLine() {}

  static String format(ContextEntry entry) {
    String kind =
        switch (entry.kind()) {
          case FILE -> "file";
          case DIRECTORY -> "dir ";
          case SYMLINK -> "link";
        };
    String line = kind + " " + (entry.executable() ? "x" : "-") + " " + shown(entry.path());
    return entry.linkTarget() == null ? line : line + " -> " + shown(entry.linkTarget());
  }

  /** Quoted, with "->" inside a name written "-\x3e", so only the separator reads as an arrow. */
  private static String shown(String name) {
    return ContextNames.quote(name).replace("->", "-\\x3e");
  }
}
