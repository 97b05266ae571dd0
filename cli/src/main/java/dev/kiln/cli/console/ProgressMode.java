package dev.kiln.cli.console;

/** How build progress is shown ({@code --progress}). */
public enum ProgressMode {
  /** BuildKit-like text lines, no colours. */
  PLAIN,
  /** Like plain for now, with colours when stdout is a terminal. */
  TTY,
  /** One JSON object per event on stdout; human lines go to stderr. */
  JSON
}
