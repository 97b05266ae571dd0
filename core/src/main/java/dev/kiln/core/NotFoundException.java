package dev.kiln.core;

/** The resource asked for does not exist (an edge answers 404). */
public class NotFoundException extends KilnException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
