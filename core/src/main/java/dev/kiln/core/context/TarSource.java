package dev.kiln.core.context;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts what is read, and remembers whether the stream ended or failed. */
final class TarSource extends FilterInputStream {
  private long position;
  private boolean ended;
  private IOException failure;

  TarSource(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    if (n < 0) {
      ended = true;
    } else {
      position += n;
    }
    return n;
  }

  /** Reads instead of skipping, so the position and the end are always known. */
  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /** Nothing is buffered, and commons-compress must not trust a FileInputStream's answer. */
  @Override
  public int available() {
    return 0;
  }

  long position() {
    return position;
  }

  boolean ended() {
    return ended;
  }

  IOException failure() {
    return failure;
  }
}
