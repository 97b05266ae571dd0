package dev.kiln.gateway.context;

import java.io.IOException;

/** Thrown to the context store's reader when the uploaded archive failed validation. */
final class ArchiveRejectedException extends IOException {
  private static final long serialVersionUID = 1L;

  ArchiveRejectedException(Throwable rejection) {
    super(rejection.getMessage(), rejection);
  }
}
