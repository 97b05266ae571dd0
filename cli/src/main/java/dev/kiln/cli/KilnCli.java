package dev.kiln.cli;

import dev.kiln.cli.build.BuildCommand;
import dev.kiln.cli.build.ReportedFailure;
import dev.kiln.cli.console.Console;
import dev.kiln.cli.hash.HashCommand;
import dev.kiln.core.KilnException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code kiln} command line. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    version = "kiln 0.1.0",
    description = "Remote container-image builds with Smart Builds.",
    subcommands = {CommandLine.HelpCommand.class})
public final class KilnCli implements java.util.concurrent.Callable<Integer> {
  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  KilnCli(CliEnvironment environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    System.exit(run(args, CliEnvironment.system()));
  }

  /** Runs the command line; returns the exit code (0 success, 1 failure, 2 usage error). */
  public static int run(String[] args, CliEnvironment environment) {
    CommandLine commandLine =
        new CommandLine(new KilnCli(environment))
            .addSubcommand(new BuildCommand(environment))
            .addSubcommand(new HashCommand(environment));
    commandLine.setOut(writer(environment.out()));
    commandLine.setErr(writer(environment.err()));
    commandLine.setExecutionExceptionHandler(
        (exception, command, parseResult) -> {
          Console console = new Console(environment.out(), environment.err(), false, false);
          if (!(exception instanceof ReportedFailure)) {
            console.failure(message(exception));
          }
          console.flush();
          return 1;
        });
    int code = commandLine.execute(args);
    environment.out().flush();
    environment.err().flush();
    return code;
  }

  /** {@code kiln} alone: show the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(environment.err());
    return 2;
  }

  private static String message(Exception exception) {
    if (exception instanceof KilnException) {
      return exception.getMessage();
    }
    if (exception instanceof UncheckedIOException io) {
      return io.getMessage() + " (" + io.getCause() + ")";
    }
    return "kiln failed unexpectedly: " + exception + "; please report it";
  }

  private static PrintWriter writer(java.io.PrintStream stream) {
    return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }
}
