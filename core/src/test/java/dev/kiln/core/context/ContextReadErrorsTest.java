package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.KilnException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContextReadErrorsTest {

  private static final Path CONTEXT = Path.of("/work/app");

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            new AccessDeniedException("/work/app/secret"),
            InvalidInputException.class,
            "permission was denied; fix its permissions"),
        Arguments.of(
            new NoSuchFileException("/work/app/secret"),
            InvalidInputException.class,
            "it disappeared while kiln read the context; run again once nothing is writing"),
        Arguments.of(
            new FileSystemException("/work/app/secret", null, "File name too long"),
            InvalidInputException.class,
            "its path is too long for this system (16 bytes from the filesystem root); shorten"),
        Arguments.of(
            new FileSystemException("/work/app/secret", null, "Input/output error"),
            KilnException.class,
            "failed because java.nio.file.FileSystemException: /work/app/secret: Input/output"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void namesTheNodeAndSaysWhatToDo(
      IOException cause, Class<? extends KilnException> type, String message) {
    KilnException error = ContextReadErrors.of("hash", CONTEXT, "secret", cause);

    assertThat(error)
        .isExactlyInstanceOf(type)
        .hasMessageStartingWith("tried to hash secret in the build context /work/app but ")
        .hasMessageContaining(message)
        .hasMessageContaining(".dockerignore")
        .hasCause(cause);
  }
}
