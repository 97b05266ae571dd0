package dev.kiln.gateway.http;

import java.io.IOException;

/** Thrown by {@link LimitedInputStream} when a request body exceeds its limit. */
public final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long limitBytes;

  public BodyTooLargeException(long limitBytes) {
    super("the request body is larger than " + limitBytes + " bytes");
    this.limitBytes = limitBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }
}
