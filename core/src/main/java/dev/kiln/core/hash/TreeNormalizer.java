package dev.kiln.core.hash;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextPaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts hashed entries into the one order the hash uses (byte order of paths) and adds the
 * directories an archive left implicit, since unpacking creates them all the same.
 */
final class TreeNormalizer {

  private static final byte[] NO_CONTENT = new byte[0];

  private TreeNormalizer() {}

  static List<HashedEntry> normalize(List<HashedEntry> entries) {
    Map<String, HashedEntry> byPath = new HashMap<>();
    for (HashedEntry entry : entries) {
      if (byPath.put(entry.entry().path(), entry) != null) {
        throw new InvalidInputException(
            "the context lists " + entry.entry().path() + " twice; list every path once",
            "context");
      }
    }
    for (HashedEntry entry : entries) {
      String path = entry.entry().path();
      for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        String parent = path.substring(0, slash);
        byPath.putIfAbsent(parent, new HashedEntry(ContextEntry.directory(parent), NO_CONTENT));
      }
    }
    List<HashedEntry> tree = new ArrayList<>(byPath.values());
    tree.sort((a, b) -> ContextPaths.BYTE_ORDER.compare(a.entry().path(), b.entry().path()));
    return tree;
  }
}
