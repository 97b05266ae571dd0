package dev.kiln.gateway.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a request body through and fails with {@link BodyTooLargeException} once more than {@code
 * limitBytes} were read, so a chunked body without Content-Length is bounded too.
 */
public final class LimitedInputStream extends FilterInputStream {
  private final long limitBytes;
  private long readBytes;
  private boolean exceeded;

  public LimitedInputStream(InputStream in, long limitBytes) {
    super(in);
    this.limitBytes = limitBytes;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** True once the body went past the limit, even if a reader swallowed the exception. */
  public boolean exceeded() {
    return exceeded;
  }

  private void count(long n) throws BodyTooLargeException {
    readBytes += n;
    if (readBytes > limitBytes) {
      exceeded = true;
      throw new BodyTooLargeException(limitBytes);
    }
  }
}
