package dev.kiln.cli.manifest;

/** A line of a manifest file, as an error message shows it: {@code kiln.yml:12}. */
public record SourceLocation(String file, int line) {

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}
