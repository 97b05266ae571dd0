package dev.kiln.core.context;

import dev.kiln.core.context.ContextEntry.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an uploaded context tar and refuses anything that could reach outside the directory it is
 * unpacked into or that kiln cannot hash: {@code ..} components, absolute paths, names over 255
 * bytes, entries below a symlink or a file, relative symlink targets that climb above the root
 * (textually, or once resolved through the archive's other symlinks), symlink loops and chains over
 * 40 links, hard links to anything but an earlier file of the archive, devices, fifos and other
 * special entries, duplicates, and archives over the size or entry-count limits, truncated or not
 * tar at all. Absolute symlink targets are kept: they name paths inside the image's filesystem.
 */
public final class ContextArchive {

  /** Receives each accepted entry in archive order with its content (empty but for files). */
  @FunctionalInterface
  public interface EntryHandler {
    void accept(ContextEntry entry, InputStream content) throws IOException;
  }

  private ContextArchive() {}

  /** Reads the whole archive and returns its entries in archive order. */
  public static List<ContextEntry> validate(InputStream tar, ContextLimits limits) {
    List<ContextEntry> entries = new ArrayList<>();
    read(tar, limits, (entry, content) -> entries.add(entry));
    return List.copyOf(entries);
  }

  /**
   * Reads the archive, handing every entry to {@code handler} as soon as it is validated, so a
   * caller can hash contents in one pass. Symlinks are resolved through each other only after the
   * last entry, so nothing handed over is accepted until this method returns. A hard link arrives
   * as a {@link Kind#FILE} whose {@code linkTarget} is the earlier file it shares content with, and
   * an empty content stream.
   *
   * @throws InvalidContextException naming the entry or position when the archive is refused
   * @throws UncheckedIOException when the stream itself fails
   */
  public static void read(InputStream tar, ContextLimits limits, EntryHandler handler) {
    LimitedInputStream limited = new LimitedInputStream(tar, limits.maxBytes());
    TarReader reader = TarReader.over(limited);
    Map<String, Node> nodes = new HashMap<>();
    Map<String, String> links = new LinkedHashMap<>();
    int count = 0;
    try {
      TarReader.Header header;
      while ((header = reader.next()) != null) {
        if (++count > limits.maxEntries()) {
          throw new InvalidContextException(
              "the context archive has more than "
                  + limits.maxEntries()
                  + " entries; leave generated or vendored files out with .dockerignore");
        }
        if (header.size() > limits.maxBytes()) {
          throw tooLarge(limits, header.name());
        }
        String path = ArchivePaths.clean(header.name());
        if (path.isEmpty()) {
          if (header.type() != '5') {
            throw new InvalidContextException(
                "the context archive entry '"
                    + header.name()
                    + "' names the root but is no"
                    + " directory; remove it");
          }
          continue;
        }
        ContextEntry entry = toEntry(header, path, nodes);
        ArchivePaths.claim(nodes, entry, header.mode());
        if (entry.kind() == Kind.SYMLINK) {
          links.put(path, entry.linkTarget());
        }
        handler.accept(entry, reader.content());
      }
      // a link may resolve through links further on, so the whole archive must be known first
      ArchiveLinks.check(links);
    } catch (IOException e) {
      throw failure(reader, e, limits);
    }
  }

  private static RuntimeException failure(TarReader reader, IOException e, ContextLimits limits) {
    IOException source = reader.sourceFailure();
    if (source instanceof LimitedInputStream.LimitExceededException) {
      return tooLarge(limits, null);
    }
    if (source != null) {
      return new UncheckedIOException(
          "tried to read a context archive but the stream failed: " + source.getMessage(), source);
    }
    return new InvalidContextException(
        "the context archive is not a valid tar: "
            + reader.explain(e).getMessage()
            + "; upload the tar kiln packed, uncompressed",
        e);
  }

  private static ContextEntry toEntry(TarReader.Header header, String path, Map<String, Node> nodes)
      throws IOException {
    boolean executable = (header.mode() & 0100) != 0;
    return switch (header.type()) {
      case '0' -> ContextEntry.file(path, executable, header.size());
      case '5' -> ContextEntry.directory(path);
      case '2' -> {
        ArchivePaths.checkSymlink(path, header.linkName());
        yield ContextEntry.symlink(path, header.linkName());
      }
      case '1' -> {
        String target = ArchivePaths.hardLinkTarget(path, header.linkName(), nodes);
        Node node = nodes.get(target);
        yield new ContextEntry(path, Kind.FILE, node.executable(), node.sizeBytes(), target);
      }
      case '3', '4' ->
          throw new InvalidContextException(
              "the context archive entry '" + path + "' is a device; remove it from the context");
      case '6' ->
          throw new InvalidContextException(
              "the context archive entry '" + path + "' is a fifo; remove it from the context");
      default ->
          throw new InvalidContextException(
              "the context archive entry '"
                  + path
                  + "' has the unsupported type '"
                  + header.type()
                  + "'; only files, directories, symlinks and hard links are accepted");
    };
  }

  private static InvalidContextException tooLarge(ContextLimits limits, String entry) {
    return new InvalidContextException(
        "the context archive is larger than the limit of "
            + limits.maxBytes()
            + " bytes"
            + (entry == null ? "" : " (at " + entry + ")")
            + "; leave large files out with .dockerignore");
  }

  /** What the archive holds at a path so far; implicit directories are created by children. */
  record Node(Kind kind, boolean explicit, boolean executable, long sizeBytes) {}
}
