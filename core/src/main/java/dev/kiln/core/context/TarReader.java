package dev.kiln.core.context;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Reads a context tar with commons-compress and refuses the header shapes on which commons-compress
 * and Go's archive/tar (what BuildKit unpacks contexts with) would see different entries, so what
 * kiln validates is what BuildKit extracts:
 *
 * <ul>
 *   <li>link, device and fifo headers that claim data (Go reads none after them, commons-compress
 *       reads the claimed bytes);
 *   <li>a trailing '/' on anything but a directory (commons-compress takes it for a directory and
 *       reads no data; Go reads the data of a file);
 *   <li>two extended headers of one kind, or pax and GNU ones, before one entry (the two readers
 *       let different ones win);
 *   <li>pax global headers and Solaris 'X' headers (commons-compress applies them, Go does not).
 * </ul>
 *
 * <p>Where commons-compress drops the leading '/' of a pax or GNU long name, the name keeps one, so
 * the archive rules refuse it as absolute, as they refuse an absolute name in the header itself.
 *
 * <p>It also checks what commons-compress leaves unchecked: the checksum of every header, extended
 * ones included, extended headers of at most 1 MiB, and an end-of-archive marker, so that a stream
 * cut at a block boundary is not taken for a shorter archive.
 */
final class TarReader extends TarArchiveInputStream {

  /** One real entry; extended headers are folded into it. */
  record Header(String name, char type, long mode, long size, String linkName) {}

  private static final int BLOCK = TarWriter.BLOCK;
  private static final int SIZE_OFFSET = 124;
  private static final int SIZE_LENGTH = 12;
  private static final int TYPE_OFFSET = 156;
  private static final int MAX_META_BYTES = 1 << 20;

  /**
   * A pax record setting an absolute path (a value holding such text is taken for one too, which
   * only ever refuses more).
   */
  private static final Pattern ABSOLUTE_PAX_PATH = Pattern.compile("(?:^|\n)[0-9]+ path=/");

  private static final Pattern PAX_PATH = Pattern.compile("(?:^|\n)[0-9]+ path=");
  private static final Pattern PAX_LINKPATH = Pattern.compile("(?:^|\n)[0-9]+ linkpath=");

  private final TarSource source;
  private final Set<Character> pendingMeta = new HashSet<>();
  private final ByteArrayOutputStream paxData = new ByteArrayOutputStream();
  private boolean longNameAbsolute;
  private boolean endBlockSeen;
  private String current = "(start)";

  private TarReader(TarSource source) {
    // names from the header fields and GNU long names arrive one char per byte (see rawName)
    super(source, BLOCK, BLOCK, StandardCharsets.ISO_8859_1.name(), false);
    this.source = source;
  }

  static TarReader over(InputStream in) {
    return new TarReader(new TarSource(in));
  }

  /** The next entry, or null after the end-of-archive marker. */
  Header next() throws IOException {
    TarArchiveEntry entry = getNextEntry();
    if (entry == null) {
      return null;
    }
    String pax = pendingMeta.contains('x') ? paxData.toString(StandardCharsets.ISO_8859_1) : "";
    String name = rawName(entry.getName(), PAX_PATH.matcher(pax).find(), "path");
    String linkName = rawName(entry.getLinkName(), PAX_LINKPATH.matcher(pax).find(), "linkpath");
    if (longNameAbsolute || ABSOLUTE_PAX_PATH.matcher(pax).find()) {
      name = "/" + name; // commons-compress drops leading slashes; Go keeps them
    }
    pendingMeta.clear();
    longNameAbsolute = false;
    current = name;
    char type = (char) (entry.getLinkFlag() & 0xff);
    if (type == '\0') {
      type = entry.isDirectory() ? '5' : '0';
    }
    if (type != '5' && name.endsWith("/")) {
      throw new TarFormatException(
          "the entry '" + name + "' is no directory but its name ends with '/'");
    }
    long size = type == '5' ? 0 : entry.getSize();
    if (type >= '1' && type <= '6' && size != 0) {
      throw new TarFormatException(
          "the link, device or fifo entry '"
              + name
              + "' claims "
              + size
              + " bytes of data, which tar readers disagree about");
    }
    return new Header(name, type, entry.getMode(), size, linkName);
  }

  /**
   * A name as {@link ContextNames} keeps it. From a header field or a GNU long name it is bytes,
   * read one char per byte; from a pax record commons-compress has decoded it as UTF-8, putting
   * U+FFFD for bytes that are not, which would merge distinct names, so such a record is refused
   * (kiln writes those names as bytes, never as pax records).
   */
  private String rawName(String read, boolean fromPax, String key) throws TarFormatException {
    if (read == null || read.isEmpty()) {
      return read;
    }
    if (!fromPax) {
      return ContextNames.decode(read.getBytes(StandardCharsets.ISO_8859_1));
    }
    if (read.indexOf('\uFFFD') >= 0) {
      throw new TarFormatException(
          "the pax record '"
              + key
              + "' of the entry after "
              + current
              + " is not valid UTF-8 or holds U+FFFD, which kiln cannot tell apart; write names"
              + " that are not UTF-8 in the header itself or a GNU long-name header");
    }
    return read;
  }

  /** Keeps the records of a pax header as commons-compress reads them. */
  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    int n = super.read(buf, offset, length);
    TarArchiveEntry entry = getCurrentEntry();
    if (n > 0 && entry != null && entry.isPaxHeader()) {
      paxData.write(buf, offset, n);
    }
    return n;
  }

  /** Notes a GNU long name that is absolute, which commons-compress would make relative. */
  @Override
  protected byte[] getLongNameData() throws IOException {
    boolean name = getCurrentEntry().isGNULongNameEntry();
    byte[] data = super.getLongNameData();
    if (name && data != null && data.length > 0 && data[0] == '/') {
      longNameAbsolute = true;
    }
    return data;
  }

  /** The bytes of the entry {@link #next()} returned; closing it does nothing. */
  InputStream content() {
    return new FilterInputStream(this) {
      @Override
      public void close() {}
    };
  }

  /** The stream below failed (not the archive format); null if it did not. */
  IOException sourceFailure() {
    return source.failure();
  }

  /**
   * Explains a failure of commons-compress: a stream that ended early is a truncated archive,
   * anything else a malformed one.
   */
  TarFormatException explain(IOException e) {
    if (e instanceof TarFormatException format) {
      return format;
    }
    if (source.ended()) {
      return truncated();
    }
    return new TarFormatException(e.getMessage() + " (at byte " + source.position() + ")");
  }

  /** Sees every header block commons-compress reads, including the end-of-archive marker. */
  @Override
  protected byte[] readRecord() throws IOException {
    long at = source.position();
    byte[] record = super.readRecord();
    if (record == null) {
      if (!endBlockSeen || source.position() > at) {
        throw truncated();
      }
      return null; // one zero block then the end of the stream is how Go ends too
    }
    if (isZero(record)) {
      if (!pendingMeta.isEmpty()) {
        throw new TarFormatException(
            "it ends right after an extended header at byte " + at + " (after " + current + ")");
      }
      endBlockSeen = true;
      return record;
    }
    if (endBlockSeen) {
      throw new TarFormatException("a header follows the end-of-archive marker at byte " + at);
    }
    checkHeader(record, at);
    return record;
  }

  private void checkHeader(byte[] record, long at) throws TarFormatException {
    if (!checksumMatches(record)) {
      throw new TarFormatException(
          "the header at byte " + at + " has a wrong checksum (after " + current + ")");
    }
    char type = (char) (record[TYPE_OFFSET] & 0xff);
    int nameEnd = 0;
    while (nameEnd < TarConstants.NAMELEN && record[nameEnd] != 0) {
      nameEnd++;
    }
    if (type != '5' && type != '\0' && nameEnd > 0 && record[nameEnd - 1] == '/') {
      throw new TarFormatException(
          "the header at byte " + at + " is no directory but its name ends with '/'");
    }
    switch (type) {
      case 'g', 'X' ->
          throw new TarFormatException(
              "the header at byte "
                  + at
                  + " is a global or Solaris extended header, which tar readers apply"
                  + " differently");
      case 'x', 'L', 'K' -> {
        boolean mixed =
            type == 'x'
                ? pendingMeta.contains('L') || pendingMeta.contains('K')
                : pendingMeta.contains('x');
        if (type == 'x') {
          paxData.reset();
        }
        if (!pendingMeta.add(type) || mixed) {
          throw new TarFormatException(
              "the extended header at byte "
                  + at
                  + " is the second one, or mixes pax and GNU headers, for one entry; tar readers"
                  + " pick different ones");
        }
        if (metaSize(record) > MAX_META_BYTES) {
          throw new TarFormatException(
              "the extended header at byte " + at + " is larger than 1 MiB");
        }
      }
      default -> {}
    }
  }

  private static long metaSize(byte[] record) {
    try {
      return TarUtils.parseOctalOrBinary(record, SIZE_OFFSET, SIZE_LENGTH);
    } catch (IllegalArgumentException e) {
      return Long.MAX_VALUE;
    }
  }

  private static boolean checksumMatches(byte[] record) {
    try {
      return TarUtils.verifyCheckSum(record);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private TarFormatException truncated() {
    return new TarFormatException(
        "it is truncated: the stream ended at byte "
            + source.position()
            + " inside or after "
            + current
            + " without the end-of-archive marker");
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** The stream is not a well-formed tar, or one tar readers disagree about; says where. */
  static final class TarFormatException extends EOFException {
    private static final long serialVersionUID = 1L;

    TarFormatException(String message) {
      super(message);
    }
  }
}
