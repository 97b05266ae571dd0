package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerIgnoreTest {

  /**
   * {@code patterns (';' between lines) | path | excluded}. Every row was checked against
   * BuildKit's own walker (tonistiigi/fsutil with moby/patternmatcher v0.6.1) on a real tree; the
   * rows with spaces before a slash come from the differential test against BuildKit (kiln-e2e).
   */
  private static final String CASES =
      """
      *;!**/*.py|src/app.py|false
      *;!**/*.py|src/app.go|true
      *;!**/*.py|app.py|false
      *;!**/*.py|README.md|true
      /foo/bar|foo/bar|true
      /foo/bar|foo/bar/baz.txt|true
      foo/bar|foo/bar|true
      foo/bar/|foo/bar/x|true
      foo/bar|foo/barx|false
      foo/bar|x/foo/bar|false
      ./foo|foo|true
      foo/../bar|bar|true
      foo/../bar|foo|false
      docs;!docs/keep.md|docs/keep.md|false
      docs;!docs/keep.md|docs/other.md|true
      docs;!docs/keep.md|docs|true
      node_modules|node_modules/pkg/index.js|true
      node_modules|src/node_modules/x|false
      **/node_modules|src/node_modules/x|true
      **/node_modules|node_modules|true
      a/**/b|a/b|true
      a/**/b|a/x/b|true
      a/**/b|a/x/y/b|true
      a/**/b|a/x/y/c|false
      a/**/b|a/x/b/c|true
      **/*.log|x.log|true
      **/*.log|a/b/c.log|true
      *.log|a/c.log|false
      *.log|c.log|true
      foo/**|foo/a|true
      foo/**|foo|false
      foo/**|foox|false
      [ab].txt|a.txt|true
      [ab].txt|c.txt|false
      [a-c]x|bx|true
      [a-c]x|dx|false
      [^a]x|bx|true
      [^a]x|ax|false
      ?.txt|a.txt|true
      ?.txt|ab.txt|false
      ?|a/b|true
      a?c|a/c|false
      \\*.txt|*.txt|true
      \\*.txt|a.txt|false
      # comment|# comment|false
      \\#x|#x|true
        # not a comment|# not a comment|true
        spaced  |spaced|true
      !keep|keep|false
      *.md;!README.md;README.md|README.md|true
      *.md;README.md;!README.md|README.md|false
      *;!a;a/b|a/b|true
      *;!a;a/b|a/c|false
      *;!a/b|a/b|false
      *;!a/b|a/c|true
      *;!a/b|a|true
      a;!a/b/c|a/b/c/d|false
      a;!a/b/c|a/b/d|true
      **|anything/at/all|true
      a.b|axb|false
      a+b|a+b|true
      (a)|(a)|true
      x$|x$|true
      x{1}|x{1}|true
      *.x\\{1\\}|a.x{1}|true
      *.py;!**/keep/**|src/keep/x.py|false
      **/*.py;!**/keep/**|src/x.py|true
      [\\]]x|]x|true
      [a\\-z]|-|true
      [a\\-z]|b|false
      é*|éa|true
      */|a|true
      a/b/**|a/b|false
      **/*.py;!**/keep/**|src/keep/x.py|false
      a/ /|a|true
      a/ /|a/ |true
      *;!a/ /|a/x|false
      / /| |false
      """;

  static Stream<Arguments> cases() {
    return CASES
        .lines()
        .map(
            line -> {
              String[] parts = line.split("\\|");
              return Arguments.of(parts[0], parts[1], Boolean.parseBoolean(parts[2]));
            });
  }

  @ParameterizedTest(name = "{0} excludes {1}: {2}")
  @MethodSource("cases")
  void excludesWhatBuildKitExcludes(String patterns, String path, boolean excluded) {
    DockerIgnore ignore = DockerIgnore.parse(String.join("\n", patterns.split(";")) + "\n");

    assertThat(ignore.excludes(path)).isEqualTo(excluded);
  }

  @Test
  void patternsWithoutWildcardsCompareLiterally() {
    DockerIgnore ignore = DockerIgnore.parse("a|b\nx{1}\n");

    assertThat(ignore.excludes("a|b")).isTrue();
    assertThat(ignore.excludes("x{1}")).isTrue();
    assertThat(ignore.excludes("x")).isFalse();
  }

  @Test
  void cleansPatternsLikeDocker() {
    DockerIgnore ignore =
        DockerIgnore.parse("\uFEFF# comment\n\n  /foo//bar/  \n! ./keep/../kept\r\n#x\n");

    assertThat(ignore.patterns()).containsExactly("foo/bar", "!kept");
  }

  @Test
  void anEmptyFileExcludesNothing() {
    DockerIgnore ignore = DockerIgnore.parse("\n# only a comment\n   \n");

    assertThat(ignore.isEmpty()).isTrue();
    assertThat(ignore.excludes("anything")).isFalse();
  }

  @Test
  void neverExcludesTheContextRoot() {
    DockerIgnore ignore = DockerIgnore.parse("*\n**\n.\n");

    assertThat(ignore.excludes(".")).isFalse();
    assertThat(ignore.excludes("")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "!",
        "! /",
        "!//",
        "[abc",
        "[]a]",
        "[a-]",
        "[-a]",
        "[z-a]",
        "trailing\\",
        "[*]",
        "[?]x",
        "[[:alpha:]]",
        "\\d*",
        "*.{js,ts}",
        "src|lib/*"
      })
  void refusesPatternsDockerCannotUseOrReadsAsRegexSyntaxNamingTheLine(String pattern) {
    assertThatThrownBy(() -> DockerIgnore.parse("ok\n" + pattern + "\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(".dockerignore:2: ")
        .satisfies(
            e -> assertThat(((InvalidInputException) e).field()).hasValue(".dockerignore:2"));
  }

  @Test
  void readsTheDockerfileSpecificIgnoreFileFirst(@TempDir Path context) throws IOException {
    Files.createDirectories(context.resolve("docker"));
    Files.writeString(context.resolve(".dockerignore"), "root-rule\n");
    Files.writeString(context.resolve("docker/app.Dockerfile.dockerignore"), "specific-rule\n");

    assertThat(DockerIgnore.forDockerfile(context, "docker/app.Dockerfile").patterns())
        .containsExactly("specific-rule");
    assertThat(DockerIgnore.forDockerfile(context, "Dockerfile").patterns())
        .containsExactly("root-rule");
  }

  @Test
  void hasNoRulesWithoutAnIgnoreFile(@TempDir Path context) {
    assertThat(DockerIgnore.forDockerfile(context, "Dockerfile").isEmpty()).isTrue();
  }

  @Test
  void namesTheIgnoreFileInErrors(@TempDir Path context) throws IOException {
    Files.writeString(context.resolve("Dockerfile.dockerignore"), "a\n\n[oops\n");

    assertThatThrownBy(() -> DockerIgnore.forDockerfile(context, "Dockerfile"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Dockerfile.dockerignore:3: the pattern '[oops' is invalid");
  }
}
