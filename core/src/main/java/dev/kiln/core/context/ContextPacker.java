package dev.kiln.core.context;

import dev.kiln.core.KilnException;
import dev.kiln.core.image.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * Packs listed context entries into a deterministic, uncompressed tar: entries in the given order
 * (the walker's byte order), mtime 0, uid/gid 0, no owner names, mode 0755 for directories and
 * executable files, 0644 for other files, 0777 for symlinks. The same tree always gives the same
 * bytes. Files are streamed; the context is never held in memory.
 */
public final class ContextPacker {

  /** Opens the content of a listed file; the packer closes the stream. */
  @FunctionalInterface
  public interface ContentSource {
    InputStream open(ContextEntry file) throws IOException;
  }

  /**
   * Writes the tar to {@code out} (left open) and returns its digest and size.
   *
   * @throws KilnException when a file cannot be read or changes while it is packed
   */
  public PackResult pack(Path contextDir, List<ContextEntry> entries, OutputStream out) {
    return pack(
        entries,
        file ->
            Files.newInputStream(
                NodeNames.resolve(contextDir, file.path()), LinkOption.NOFOLLOW_LINKS),
        "the build context " + contextDir,
        out);
  }

  /**
   * Writes the tar of entries whose file contents come from {@code files} (a git tree, say).
   *
   * @param where names the context in error messages
   * @throws KilnException when a file cannot be read or changes while it is packed
   */
  public PackResult pack(
      List<ContextEntry> entries, ContentSource files, String where, OutputStream out) {
    DigestingOutputStream digesting = new DigestingOutputStream(out);
    TarWriter tar = new TarWriter(digesting);
    String current = where;
    try {
      for (ContextEntry entry : entries) {
        current = entry.path();
        switch (entry.kind()) {
          case DIRECTORY -> tar.directory(entry.path());
          case SYMLINK -> tar.symlink(entry.path(), entry.linkTarget());
          case FILE -> {
            try (InputStream content = files.open(entry)) {
              tar.file(entry.path(), entry.executable(), entry.sizeBytes(), content);
            }
          }
        }
      }
      current = where;
      tar.finish();
    } catch (TarWriter.FileChangedException e) {
      throw new KilnException(
          "tried to pack "
              + current
              + " from "
              + where
              + " but "
              + e.getMessage()
              + "; run the build again once nothing writes to the context",
          e);
    } catch (IOException e) {
      throw new KilnException(
          "tried to pack "
              + current
              + " from "
              + where
              + " but failed because "
              + e
              + "; check that it is readable and that the output can be written",
          e);
    }
    return new PackResult(
        Digest.ofSha256(digesting.digest.digest()), digesting.count, entries.size());
  }

  /** Counts and hashes what passes through, without closing the target. */
  private static final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest digest = Digest.newSha256();
    private long count;

    DigestingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
