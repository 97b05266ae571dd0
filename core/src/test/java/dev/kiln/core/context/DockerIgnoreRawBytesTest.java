package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are not UTF-8 in {@code .dockerignore} and in paths, matched as BuildKit matches them
 * (observed against buildkitd v0.32.2 with the differential test): a pattern reaches its matcher
 * with each such byte as U+FFFD; a wildcard pattern is a regexp, which reads each such byte of a
 * path as U+FFFD too, while a pattern without wildcards compares bytes and so never matches such a
 * byte; and such a byte inside {@code [...]} is a syntax error.
 */
class DockerIgnoreRawBytesTest {

  @TempDir Path context;

  @Test
  void aPatternByteThatIsNotUtf8MatchesAnyByteThatIsNot() throws IOException {
    DockerIgnore ignore = fromFile(new byte[] {'b', 'a', 'd', (byte) 0xff, '*', '\n'});

    assertThat(ignore.excludes("bad\uDCFF")).isTrue();
    assertThat(ignore.excludes("bad\uDCFE")).isTrue();
    assertThat(ignore.excludes("bad\uDCC0\uDCAF-more")).isTrue();
    assertThat(ignore.excludes("bad\uFFFD")).isTrue();
    assertThat(ignore.excludes("bada")).isFalse();
    assertThat(ignore.excludes("bad")).isFalse();
  }

  @Test
  void eachByteThatIsNotUtf8InTheFileIsOneCharacter() throws IOException {
    // an encoded surrogate: three bytes, none valid, so three characters for BuildKit
    DockerIgnore ignore =
        fromFile(new byte[] {'s', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '*', '\n'});

    assertThat(ignore.excludes("s\uFFFD\uFFFD\uFFFD")).isTrue();
    assertThat(ignore.excludes("s\uDCED\uDCA0\uDC80x")).isTrue();
    assertThat(ignore.excludes("s\uFFFD")).isFalse();
  }

  @Test
  void aPatternWithoutWildcardsComparesBytesSoNeverMatchesSuchAByte() throws IOException {
    DockerIgnore ignore = fromFile(new byte[] {'b', 'a', 'd', (byte) 0xff, '\n'});

    assertThat(ignore.excludes("bad\uDCFF")).isFalse();
    assertThat(ignore.excludes("bad\uFFFD")).isTrue();
  }

  @Test
  void questionMarkAndStarMatchSuchBytesOneByOne() {
    DockerIgnore ignore = DockerIgnore.parse("?\uFFFD\nd?1/**\n");

    assertThat(ignore.excludes("x\uDCFF")).isTrue();
    assertThat(ignore.excludes("d\uDCFF1/inner")).isTrue();
    assertThat(ignore.excludes("d\uDCFF\uDCFE1/inner")).isFalse();
  }

  @Test
  void refusesSuchAByteInsideAClassAsDockerDoes() {
    assertThatThrownBy(() -> fromFile(new byte[] {'b', '[', (byte) 0xfe, '-', (byte) 0xff, ']'}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a byte that is not UTF-8 inside [...]")
        .hasMessageContaining("match that byte with '?' instead");
  }

  /** U+2DC80 is a letter whose UTF-16 low half equals an escape; it is no byte. */
  @Test
  void lettersAboveTheBmpAreNeverTakenForBytes() {
    DockerIgnore ignore = DockerIgnore.parse("x\uD877\uDC80*\ny[\uD877\uDC80]z\n");

    assertThat(ignore.excludes("x\uD877\uDC80y")).isTrue();
    assertThat(ignore.excludes("x\uDCFFy")).isFalse();
    assertThat(ignore.excludes("y\uD877\uDC80z")).isTrue();
  }

  /** Go's text/scanner, which reads wildcard patterns in BuildKit, skips a leading BOM. */
  @Test
  void aLeadingBomOfAWildcardPatternIsSkippedOnAnyLine() {
    DockerIgnore ignore = DockerIgnore.parse("other\n\uFEFFbad*\n*\n!\uFEFFkeep?\n");

    assertThat(ignore.excludes("bad1")).isTrue();
    assertThat(ignore.excludes("keep1")).isFalse();
  }

  private DockerIgnore fromFile(byte[] contents) throws IOException {
    Files.write(context.resolve(".dockerignore"), contents);
    return DockerIgnore.forDockerfile(context, "Dockerfile");
  }
}
