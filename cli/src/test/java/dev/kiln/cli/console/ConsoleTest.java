package dev.kiln.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleTest {

  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      value = {
        "plain text=>plain text",
        "tab\tkept=>tab\tkept",
        "x\u001B[2J\u001B[Hcleared=>xcleared",
        "x\u001B]0;owned title\u0007after=>xafter",
        "x\u001B]0;owned title\u001B\\after=>xafter",
        "red \u001B[31mtext\u001B[0m=>red text",
        "bell\u0007 and cr\r=>bell and cr",
        "c1\u009Bcontrol=>c1control",
        "ünïcode ✓=>ünïcode ✓"
      })
  // rows start with a letter: the CSV reader trims leading control characters itself
  void buildOutputCannotDriveTheTerminal(String raw, String shown) {
    assertThat(Console.printable(raw)).isEqualTo(shown);
  }

  /** kiln's own lines name user files; their control characters are shown, not obeyed. */
  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      value = {
        "plain=>plain",
        "a file \u001B]0;pwned\u0007 here=>a file \\x1b]0;pwned\\x07 here",
        "c1\u009Bx=>c1\\x9bx",
        "a tab\tkept=>a tab\tkept"
      })
  void kilnsOwnLinesShowControlCharacters(String raw, String shown) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console console =
        new Console(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false,
            false);

    console.failure(raw);

    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("x " + shown + "\n");
  }
}
