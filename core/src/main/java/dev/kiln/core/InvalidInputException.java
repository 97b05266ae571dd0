package dev.kiln.core;

import dev.kiln.core.context.ContextNames;
import java.util.Optional;

/**
 * The caller's input cannot be used as given; the caller can fix it. Edges map this to a 4xx answer
 * or a non-zero exit with the message as is.
 */
public class InvalidInputException extends KilnException {
  private static final long serialVersionUID = 1L;

  /** The field, file or location the problem is in, e.g. {@code "dockerfile"}; may be null. */
  private final String field;

  public InvalidInputException(String message) {
    this(message, null, null);
  }

  public InvalidInputException(String message, String field) {
    this(message, field, null);
  }

  public InvalidInputException(String message, String field, Throwable cause) {
    super(message, cause);
    this.field = ContextNames.display(field);
  }

  /** The field, file or location the problem is in, when there is one. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
