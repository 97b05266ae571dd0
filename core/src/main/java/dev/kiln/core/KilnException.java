package dev.kiln.core;

import dev.kiln.core.context.ContextNames;

/**
 * The base of kiln's small exception hierarchy. Subclasses exist only where callers act
 * differently: {@link InvalidInputException} (the caller fixes its input), {@link
 * NotFoundException} (the thing asked for does not exist). Anything else is a plain {@code
 * KilnException}; its message names the action, the resource and what to do.
 *
 * <p>A message that names a context path with bytes that are not UTF-8 shows them as {@code \xff}
 * ({@link ContextNames#display}), so it prints and serializes as text.
 */
public class KilnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KilnException(String message) {
    super(ContextNames.display(message));
  }

  public KilnException(String message, Throwable cause) {
    super(ContextNames.display(message), cause);
  }
}
