package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names as bytes: every byte string survives decode and encode, and sorts by its bytes. */
class ContextNamesTest {

  private static final byte[][] PIECES = {
    "a".getBytes(StandardCharsets.UTF_8),
    "/".getBytes(StandardCharsets.UTF_8),
    "é".getBytes(StandardCharsets.UTF_8),
    "日".getBytes(StandardCharsets.UTF_8),
    "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8),
    "\uFFFD".getBytes(StandardCharsets.UTF_8),
    {(byte) 0xff},
    {(byte) 0x80},
    {(byte) 0xc3},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xf0, (byte) 0x9f, (byte) 0x98}
  };

  @Test
  void everyByteStringSurvivesDecodeAndEncode() {
    Random random = new Random(20261204);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = randomName(random);

      String path = ContextNames.decode(bytes);

      assertThat(ContextNames.encode(path)).as(Arrays.toString(bytes)).isEqualTo(bytes);
      assertThat(ContextNames.byteLength(path)).isEqualTo(bytes.length);
    }
  }

  @Test
  void pathsSortByTheirBytes() {
    Random random = new Random(7);
    for (int round = 0; round < 20_000; round++) {
      byte[] a = randomName(random);
      byte[] b = randomName(random);

      int order = ContextNames.compare(ContextNames.decode(a), ContextNames.decode(b));

      assertThat(Integer.signum(order))
          .as(Arrays.toString(a) + " vs " + Arrays.toString(b))
          .isEqualTo(Integer.signum(Arrays.compareUnsigned(a, b)));
    }
  }

  @Test
  void validUtf8IsPlainTextAndOtherBytesAreEscapes() {
    assertThat(ContextNames.decode("café/日".getBytes(StandardCharsets.UTF_8))).isEqualTo("café/日");
    assertThat(ContextNames.decode(new byte[] {'b', 'a', 'd', (byte) 0xff})).isEqualTo("bad\uDCFF");
    assertThat(ContextNames.decode(new byte[] {(byte) 0xc3, 'x'})).isEqualTo("\uDCC3x");
    assertThat(ContextNames.hasRawBytes("bad\uDCFF")).isTrue();
    assertThat(ContextNames.hasRawBytes("\uD83D\uDE00 and \uFFFD")).isFalse();
  }

  @Test
  void displayShowsBytesThatAreNotUtf8AsHexEscapes() {
    assertThat(ContextNames.display("the file bad\uDCFF\uDC80 in é"))
        .isEqualTo("the file bad\\xff\\x80 in é");
    assertThat(ContextNames.display("plain")).isEqualTo("plain");
    assertThat(ContextNames.display(null)).isNull();
  }

  /** One line per entry that says exactly which bytes it holds. */
  @Test
  void quoteTellsEveryNameApartOnOneLine() {
    assertThat(ContextNames.quote("bad\uDCFF")).isEqualTo("bad\\xff");
    assertThat(ContextNames.quote("bad\\xff")).isEqualTo("bad\\\\xff");
    assertThat(ContextNames.quote("x\nfile - y")).isEqualTo("x\\x0afile - y");
    assertThat(ContextNames.quote("\u001B]0;t\u0007")).isEqualTo("\\x1b]0;t\\x07");
    assertThat(ContextNames.quote("c1\u0085")).isEqualTo("c1\\u0085");
    assertThat(ContextNames.quote("raw\uDC85")).isEqualTo("raw\\x85");
    assertThat(ContextNames.quote("é \uD83D\uDE00")).isEqualTo("é \uD83D\uDE00");
    assertThat(ContextNames.quote("a\u202Eb\u2028c\uFEFF")).isEqualTo("a\\u202eb\\u2028c\\ufeff");
  }

  /** Such Strings come from no name: a name's valid UTF-8 decodes to text, never to escapes. */
  @ParameterizedTest
  @ValueSource(strings = {"\uDCC3\uDCA9", "a\uD800", "\uDC41", "x\uDBFF"})
  void refusesStringsNoNameDecodesTo(String path) {
    assertThatThrownBy(() -> ContextNames.encode(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  private static byte[] randomName(Random random) {
    int pieces = random.nextInt(6);
    byte[] out = new byte[0];
    for (int i = 0; i < pieces; i++) {
      byte[] piece =
          random.nextInt(4) == 0
              ? new byte[] {(byte) random.nextInt(256)}
              : PIECES[random.nextInt(PIECES.length)];
      byte[] joined = Arrays.copyOf(out, out.length + piece.length);
      System.arraycopy(piece, 0, joined, out.length, piece.length);
      out = joined;
    }
    return out;
  }
}
