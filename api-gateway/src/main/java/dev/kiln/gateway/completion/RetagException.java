package dev.kiln.gateway.completion;

/** A failed retag; {@code retryable} when trying again later may succeed. */
public final class RetagException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public RetagException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
