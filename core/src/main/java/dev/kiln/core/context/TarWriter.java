package dev.kiln.core.context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a POSIX tar with fixed metadata through commons-compress: mtime 0, uid/gid 0, no user or
 * group names (extended headers included), a pax header before any entry whose name or link target
 * is not short ASCII or whose size needs more than 11 octal digits, and no record padding after the
 * two zero blocks that end the archive.
 *
 * <p>Pax records are UTF-8 text, and commons-compress reads them as such, so a name or target that
 * holds bytes that are not UTF-8 (or U+FFFD, which such bytes would be read as) goes into the
 * header's own fields as its exact bytes instead, in a GNU long-name header when over 99 bytes;
 * both kiln's reader and Go's archive/tar read those bytes back unchanged.
 */
final class TarWriter {

  static final int BLOCK = 512;
  private static final int MODE_FILE = 0644;
  private static final int MODE_EXECUTABLE = 0755;
  private static final int MODE_SYMLINK = 0777;

  /** commons-compress moves a name into a pax header from 100 bytes on. */
  private static final int USTAR_NAME_BYTES = TarConstants.NAMELEN - 1;

  private final TarArchiveOutputStream tar;
  private final byte[] buffer = new byte[64 * 1024];
  private boolean started;

  TarWriter(OutputStream out) {
    // one block per record: the archive ends right after its end-of-archive marker
    // ISO-8859-1 writes each char of a byte-mode name (see named) as that byte; other names go
    // into pax headers as UTF-8
    tar = new TarArchiveOutputStream(out, BLOCK, StandardCharsets.ISO_8859_1.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  void directory(String path) throws IOException {
    boolean bytes = byteMode(path, null);
    put(entry(named(path + "/", bytes), TarConstants.LF_DIR, MODE_EXECUTABLE), bytes);
    tar.closeArchiveEntry();
  }

  void symlink(String path, String target) throws IOException {
    boolean bytes = byteMode(path, target);
    TarArchiveEntry entry = entry(named(path, bytes), TarConstants.LF_SYMLINK, MODE_SYMLINK);
    entry.setLinkName(named(target, bytes));
    put(entry, bytes);
    tar.closeArchiveEntry();
  }

  /**
   * Writes a file of exactly {@code sizeBytes} bytes from {@code content}.
   *
   * @throws FileChangedException when the content is shorter or longer than announced
   */
  void file(String path, boolean executable, long sizeBytes, InputStream content)
      throws IOException {
    boolean bytes = byteMode(path, null);
    TarArchiveEntry entry =
        entry(named(path, bytes), TarConstants.LF_NORMAL, executable ? MODE_EXECUTABLE : MODE_FILE);
    entry.setSize(sizeBytes);
    put(entry, bytes);
    long remaining = sizeBytes;
    while (remaining > 0) {
      int n = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new FileChangedException(path);
      }
      tar.write(buffer, 0, n);
      remaining -= n;
    }
    if (content.read() >= 0) {
      throw new FileChangedException(path);
    }
    tar.closeArchiveEntry();
  }

  /** Writes the end-of-archive marker, two zero blocks, and flushes; the target stays open. */
  void finish() throws IOException {
    tar.finish();
    tar.flush();
  }

  /**
   * BuildKit decides whether a downloaded context is a tar by reading one header from its first
   * 1024 bytes (dockerui's isArchive). A pax header and its records fill those bytes, so when the
   * first entry needs one, the archive starts with the root directory "./" instead, a plain ustar
   * header that every reader (kiln's included) takes for the context root.
   */
  private void put(TarArchiveEntry entry, boolean byteMode) throws IOException {
    if (!started && needsExtendedHeader(entry)) {
      tar.putArchiveEntry(entry("./", TarConstants.LF_DIR, MODE_EXECUTABLE));
      tar.closeArchiveEntry();
    }
    started = true;
    if (!byteMode) {
      tar.putArchiveEntry(entry);
      return;
    }
    tar.setAddPaxHeadersForNonAsciiNames(false);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
    try {
      tar.putArchiveEntry(entry);
    } finally {
      tar.setAddPaxHeadersForNonAsciiNames(true);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }
  }

  /** Whether the entry's name or target must be written as bytes rather than pax text. */
  private static boolean byteMode(String path, String target) {
    return notText(path) || (target != null && notText(target));
  }

  private static boolean notText(String name) {
    return name.indexOf('\uFFFD') >= 0 || ContextNames.hasRawBytes(name);
  }

  /** A byte-mode name is handed over as one ISO-8859-1 char per byte. */
  private static String named(String name, boolean byteMode) {
    return byteMode ? new String(ContextNames.encode(name), StandardCharsets.ISO_8859_1) : name;
  }

  static boolean needsExtendedHeader(TarArchiveEntry entry) {
    return !fitsUstar(entry.getName())
        || !fitsUstar(entry.getLinkName())
        || entry.getSize() > TarConstants.MAXSIZE;
  }

  private static boolean fitsUstar(String name) {
    return name.length() <= USTAR_NAME_BYTES && name.chars().allMatch(c -> c > 0 && c < 0x80);
  }

  private static TarArchiveEntry entry(String name, byte type, int mode) {
    // this constructor leaves user and group names empty; mtime, uid and gid are set here
    TarArchiveEntry entry = new TarArchiveEntry(name, type);
    entry.setMode(mode);
    entry.setModTime(0);
    entry.setIds(0, 0);
    entry.setNames("", "");
    return entry;
  }

  /** The file's length changed between listing and packing. */
  static final class FileChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    FileChangedException(String path) {
      super(path + " changed size while it was being packed");
    }
  }
}
