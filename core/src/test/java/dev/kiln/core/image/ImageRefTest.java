package dev.kiln.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {

  private static final String DIGEST =
      "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "127.0.0.1:5100/cindy/api:kiln,       127.0.0.1:5100, cindy/api,     kiln,   -",
        "127.0.0.1:5100/kiln/api:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 127.0.0.1:5100, kiln/api, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, -",
        "registry.example.com/a/b/c,          registry.example.com, a/b/c,  -,      -",
        "localhost/api,                       localhost,      api,           -,      -",
        "localhost:5000/api:v1.0,             localhost:5000, api,           v1.0,   -",
        "Registry.Example.com:443/my_app__x/y-z--w.v:_T, Registry.Example.com:443, my_app__x/y-z--w.v, _T, -",
        "[::1]:5100/cindy/api:kiln,           [::1]:5100,     cindy/api,     kiln,   -",
        "127.0.0.1:5100/cindy/api@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 127.0.0.1:5100, cindy/api, -, sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "127.0.0.1:5100/cindy/api:kiln@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 127.0.0.1:5100, cindy/api, kiln, sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
      })
  void parsesReferencesIntoTheirParts(
      String text, String registry, String repository, String tag, String digest) {
    ImageRef ref = ImageRef.parse(text);

    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(tag);
    assertThat(ref.digest()).isEqualTo(digest == null ? null : Digest.parse(digest));
    assertThat(ref.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "api",
        "cindy/api",
        "registry/cindy/api",
        "127.0.0.1:5100",
        "127.0.0.1:5100/",
        "127.0.0.1:5100/Cindy/api",
        "127.0.0.1:5100/cindy//api",
        "127.0.0.1:5100/cindy/api/",
        "127.0.0.1:5100/-cindy/api",
        "127.0.0.1:5100/cindy/api:",
        "127.0.0.1:5100/cindy/api:.kiln",
        "127.0.0.1:5100/cindy/api:a/b",
        "127.0.0.1:5100/cindy/api@sha256:abc",
        "127.0.0.1:5100/cindy/api@",
        "-bad.host/api",
        "host.:5100/api",
        "127.0.0.1:port/api",
        "127.0.0.1:5100/a___b",
        "127.0.0.1:5100/api:kiln:again",
      })
  void rejectsInvalidReferences(String text) {
    assertThatThrownBy(() -> ImageRef.parse(text)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void explainsThatARegistryHostIsRequired() {
    assertThatThrownBy(() -> ImageRef.parse("cindy/api:kiln"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has no registry host")
        .hasMessageContaining("127.0.0.1:5100/cindy/api:kiln");
  }

  @Test
  void limitsTheWholeNameTo255Characters() {
    String registry = "127.0.0.1:5100";
    String fits = "a".repeat(255 - registry.length() - 1);

    assertThat(ImageRef.of(registry, fits, null).name()).hasSize(255);
    assertThatThrownBy(() -> ImageRef.of(registry, fits + "a", null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("longer than 255");
  }

  @Test
  void buildsAndModifiesReferences() {
    ImageRef cache =
        ImageRef.of(
            "127.0.0.1:5100",
            "kiln/api",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    Digest digest = Digest.parse(DIGEST);

    ImageRef byDigest = cache.withTag(null).withDigest(digest);
    ImageRef namespaced = ImageRef.of("127.0.0.1:5100", "cindy/api", "kiln");

    assertThat(byDigest.toString()).isEqualTo("127.0.0.1:5100/kiln/api@" + DIGEST);
    assertThat(byDigest.manifestReference()).isEqualTo(DIGEST);
    assertThat(namespaced.manifestReference()).isEqualTo("kiln");
    assertThat(namespaced.withTag("v2").toString()).isEqualTo("127.0.0.1:5100/cindy/api:v2");
    assertThat(namespaced.repositoryUrlPath()).isEqualTo("/v2/cindy/api");
    assertThat(namespaced.name()).isEqualTo("127.0.0.1:5100/cindy/api");
  }

  @Test
  void refusesAnInvalidTagWhenBuilding() {
    ImageRef ref = ImageRef.of("127.0.0.1:5100", "cindy/api", "kiln");

    assertThatThrownBy(() -> ref.withTag("-x")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void equalReferencesAreEqualValues() {
    assertThat(ImageRef.parse("127.0.0.1:5100/cindy/api:kiln"))
        .isEqualTo(ImageRef.of("127.0.0.1:5100", "cindy/api", "kiln"));
  }
}
