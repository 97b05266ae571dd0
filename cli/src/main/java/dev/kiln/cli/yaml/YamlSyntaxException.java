package dev.kiln.cli.yaml;

/** The text is not the YAML {@link YamlTreeReader} accepts; carries the line of the problem. */
public final class YamlSyntaxException extends Exception {
  private final int line;

  public YamlSyntaxException(int line, String problem, Throwable cause) {
    super(problem, cause);
    this.line = line;
  }

  /** 1-based line of the problem, or 0 when the parser could not tell. */
  public int line() {
    return line;
  }
}
