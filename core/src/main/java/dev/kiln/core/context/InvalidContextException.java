package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;

/** A context archive that kiln refuses to store or build; the message names the entry. */
public class InvalidContextException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public InvalidContextException(String message) {
    super(message, "context");
  }

  public InvalidContextException(String message, Throwable cause) {
    super(message, "context", cause);
  }
}
