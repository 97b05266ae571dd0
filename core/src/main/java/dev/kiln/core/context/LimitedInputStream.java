package dev.kiln.core.context;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails as soon as more than {@code maxBytes} were read, so an oversized upload stops early. */
final class LimitedInputStream extends FilterInputStream {

  private final long maxBytes;
  private long count;

  LimitedInputStream(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) throws LimitExceededException {
    count += n;
    if (count > maxBytes) {
      throw new LimitExceededException();
    }
  }

  static final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;
  }
}
