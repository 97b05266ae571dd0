package dev.kiln.worker.buildkit;

/** A solve that did not produce an image; {@link #getMessage()} says why and what to do. */
public final class BuildKitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, split by what a caller does about it. */
  public enum Kind {
    /** BuildKit ran the build and it failed (a Dockerfile step, a missing image, ...): final. */
    BUILD_FAILED,
    /** The daemon could not be reached or dropped the connection: trying again may help. */
    UNAVAILABLE,
    /** The build did not finish before its deadline. */
    TIMED_OUT
  }

  private final Kind kind;

  public BuildKitException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind == Kind.UNAVAILABLE;
  }
}
