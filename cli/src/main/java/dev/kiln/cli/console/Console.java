package dev.kiln.cli.console;

import java.io.PrintStream;

/**
 * Where every line the CLI prints goes, so tests capture output and colour stays out of pipes.
 * Human lines use Okteto's prefixes: {@code i} information, {@code ✓} success, {@code x} failure.
 */
public final class Console {
  private static final String BLUE = "\u001b[34m";
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final PrintStream err;
  private final boolean colour;
  private final boolean humanToErr;

  /**
   * @param colour whether to colour the prefixes (only for a terminal in tty mode)
   * @param humanToErr whether human lines go to stderr, keeping stdout for JSON
   */
  public Console(PrintStream out, PrintStream err, boolean colour, boolean humanToErr) {
    this.out = out;
    this.err = err;
    this.colour = colour;
    this.humanToErr = humanToErr;
  }

  /** A console for {@code mode}; colour only in tty mode on a terminal. */
  public static Console forMode(
      PrintStream out, PrintStream err, ProgressMode mode, boolean stdoutIsTerminal) {
    return new Console(
        out, err, mode == ProgressMode.TTY && stdoutIsTerminal, mode == ProgressMode.JSON);
  }

  public void info(String text) {
    human().println(prefix("i", BLUE) + " " + visible(text));
  }

  public void success(String text) {
    human().println(prefix("✓", GREEN) + " " + visible(text));
  }

  /** A failure line, always on stderr. */
  public void failure(String text) {
    err.println(prefix("x", RED) + " " + visible(text));
  }

  /** A line of build progress. */
  public void progress(String line) {
    human().println(printable(line));
  }

  // CSI and OSC escape sequences, then any other C0/C1 control character but tab
  private static final java.util.regex.Pattern ESCAPES =
      java.util.regex.Pattern.compile(
          "\\x1B\\[[0-?]*[ -/]*[@-~]|\\x1B\\][^\\x07\\x1B]*(?:\\x07|\\x1B\\\\)?"
              + "|[\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F]");

  /**
   * Build output is other people's bytes (a single-flight build shows one user's log to another):
   * escape sequences that retitle, clear or rewrite the terminal are removed before printing.
   */
  static String printable(String line) {
    return ESCAPES.matcher(line).replaceAll("");
  }

  /**
   * kiln's own lines name files, images and servers the user or a gateway chose; a control
   * character in them (an escape sequence in a file name, say) is shown as {@code \xNN} rather than
   * sent to the terminal. Line breaks and tabs stay: messages may span lines.
   */
  static String visible(String text) {
    StringBuilder shown = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
      if (control && shown == null) {
        shown = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (shown != null) {
        if (control) {
          shown.append(String.format("\\x%02x", (int) c));
        } else {
          shown.append(c);
        }
      }
    }
    return shown == null ? text : shown.toString();
  }

  /** A machine-readable line, always on stdout. */
  public void json(String line) {
    out.println(line);
  }

  public void flush() {
    out.flush();
    err.flush();
  }

  private PrintStream human() {
    return humanToErr ? err : out;
  }

  private String prefix(String symbol, String ansi) {
    return colour ? ansi + symbol + RESET : symbol;
  }
}
