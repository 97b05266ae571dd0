package dev.kiln.cli.build;

import dev.kiln.core.KilnException;

/** A failure already shown to the user; the command only needs to exit non-zero. */
public final class ReportedFailure extends KilnException {
  public ReportedFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
