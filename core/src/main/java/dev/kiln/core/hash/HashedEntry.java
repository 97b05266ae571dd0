package dev.kiln.core.hash;

import dev.kiln.core.context.ContextEntry;

/**
 * An entry with the sha256 of what it holds: file content, symlink target text, nothing (empty) for
 * a directory.
 */
record HashedEntry(ContextEntry entry, byte[] digest) {}
