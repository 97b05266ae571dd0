package dev.kiln.cli.manifest;

import dev.kiln.core.InvalidInputException;

/**
 * The manifest cannot be used as written. The message always reads {@code <file>:<line>: <what is
 * wrong>; <what to do>}.
 */
public final class ManifestException extends InvalidInputException {
  private final SourceLocation location;

  public ManifestException(SourceLocation location, String problem, String fix) {
    super(location + ": " + problem + "; " + fix, location.toString());
    this.location = location;
  }

  /**
   * For a message that already says what is wrong and what to do, such as kiln-core's name
   * validation errors.
   */
  public ManifestException(SourceLocation location, String problemAndFix) {
    super(location + ": " + problemAndFix, location.toString());
    this.location = location;
  }

  public SourceLocation location() {
    return location;
  }
}
