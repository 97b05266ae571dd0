package dev.kiln.e2e.diff;

import dev.kiln.core.context.ContextNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads BuildKit's tar output with names as bytes. BuildKit (Go's archive/tar) writes every
 * non-ASCII name in a pax record, bytes that are not UTF-8 included, and commons-compress decodes
 * pax records as UTF-8; so this keeps the raw records as commons-compress reads them and takes the
 * path and linkpath values from those bytes. Header fields are read one char per byte.
 */
final class RawNameTarInput extends TarArchiveInputStream {

  private final ByteArrayOutputStream pax = new ByteArrayOutputStream();
  private byte[] paxOfEntry = new byte[0];
  private int depth;

  RawNameTarInput(InputStream in) {
    super(in, StandardCharsets.ISO_8859_1.name());
  }

  /** commons-compress calls this again from inside to reach the entry after a pax header. */
  @Override
  public TarArchiveEntry getNextEntry() throws IOException {
    if (depth == 0) {
      pax.reset();
    }
    depth++;
    try {
      TarArchiveEntry entry = super.getNextEntry();
      paxOfEntry = pax.toByteArray();
      return entry;
    } finally {
      depth--;
    }
  }

  /** The entry's name as {@link ContextNames} keeps it. */
  String name(TarArchiveEntry entry) {
    return raw("path", entry.getName());
  }

  String linkName(TarArchiveEntry entry) {
    return raw("linkpath", entry.getLinkName());
  }

  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    int n = super.read(buf, offset, length);
    TarArchiveEntry current = getCurrentEntry();
    if (n > 0 && current != null && current.isPaxHeader()) {
      pax.write(buf, offset, n);
    }
    return n;
  }

  private String raw(String key, String fromHeader) {
    byte[] value = paxValue(key);
    return ContextNames.decode(
        value != null ? value : fromHeader.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A pax record is "LENGTH key=value\n", LENGTH counting the whole record in bytes. */
  private byte[] paxValue(String key) {
    int at = 0;
    byte[] wanted = (key + "=").getBytes(StandardCharsets.US_ASCII);
    byte[] found = null;
    while (at < paxOfEntry.length) {
      int space = at;
      while (space < paxOfEntry.length && paxOfEntry[space] != ' ') {
        space++;
      }
      int length =
          Integer.parseInt(new String(paxOfEntry, at, space - at, StandardCharsets.US_ASCII));
      int keyAt = space + 1;
      if (java.util.Arrays.equals(
          paxOfEntry, keyAt, keyAt + wanted.length, wanted, 0, wanted.length)) {
        found = java.util.Arrays.copyOfRange(paxOfEntry, keyAt + wanted.length, at + length - 1);
      }
      at += length;
    }
    return found;
  }
}
