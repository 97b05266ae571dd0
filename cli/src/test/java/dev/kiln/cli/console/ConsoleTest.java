package dev.kiln.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

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
}
