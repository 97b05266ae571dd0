package dev.kiln.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

  private static final String HEX64 =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:" + HEX64,
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "sha512:" + HEX64 + HEX64
      })
  void parsesValidDigestsAndPrintsThemUnchanged(String text) {
    assertThat(Digest.parse(text).toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        HEX64,
        "sha256:",
        "sha256:" + "A" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sha256:" + HEX64 + "a",
        "sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sha256:" + "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
        "sha384:" + HEX64,
        "SHA256:" + HEX64,
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha512:" + HEX64,
        " sha256:" + HEX64,
        "sha256:" + HEX64 + " "
      })
  void rejectsInvalidDigestsSayingWhatIsAllowed(String text) {
    assertThatThrownBy(() -> Digest.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("digest")
        .hasMessageMatching("(?s).*(use|write).*");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Digest.parse(null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void computesSha256OfBytes() {
    assertThat(Digest.sha256("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(
            Digest.parse(
                "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }

  @Test
  void splitsAlgorithmAndHex() {
    Digest digest = Digest.parse("sha256:" + HEX64);

    assertThat(digest.algorithm()).isEqualTo("sha256");
    assertThat(digest.hex()).isEqualTo(HEX64);
  }
}
