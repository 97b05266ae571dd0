package dev.kiln.cli.build;

import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A context packed into a temporary tar file, deleted on close. */
record PackedContext(Path file, Digest digest, long sizeBytes, int entryCount)
    implements AutoCloseable {

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover file in the temp dir is harmless; the build result matters more
    }
  }
}
