package dev.kiln.worker.build;

import dev.kiln.core.KilnException;

/** The registry-service could not say whether a cache tag exists; this is not a miss. */
public final class LookupFailedException extends KilnException {
  private static final long serialVersionUID = 1L;

  public LookupFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
