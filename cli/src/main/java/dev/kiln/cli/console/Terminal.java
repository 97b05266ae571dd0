package dev.kiln.cli.console;

import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal. */
public final class Terminal {
  private Terminal() {}

  public static boolean stdoutIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    // since JDK 22 System.console() may exist for redirected output; isTerminal() tells
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
