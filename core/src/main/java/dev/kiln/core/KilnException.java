package dev.kiln.core;

/**
 * The base of kiln's small exception hierarchy. Subclasses exist only where callers act
 * differently: {@link InvalidInputException} (the caller fixes its input), {@link
 * NotFoundException} (the thing asked for does not exist). Anything else is a plain {@code
 * KilnException}; its message names the action, the resource and what to do.
 */
public class KilnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KilnException(String message) {
    super(message);
  }

  public KilnException(String message, Throwable cause) {
    super(message, cause);
  }
}
