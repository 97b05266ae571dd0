package dev.kiln.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import java.util.Comparator;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuildInputsTest {

  @ParameterizedTest
  @CsvSource(
      value = {
        "'', Dockerfile",
        "Dockerfile, Dockerfile",
        "./Dockerfile, Dockerfile",
        "docker//app.Dockerfile, docker/app.Dockerfile",
        "./a/./b/Dockerfile, a/b/Dockerfile"
      })
  void cleansTheDockerfilePath(String given, String cleaned) {
    assertThat(BuildInputs.of(given, "acme/kiln").dockerfilePath()).isEqualTo(cleaned);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../Dockerfile", "/Dockerfile", "a/../../Dockerfile"})
  void refusesADockerfileOutsideTheContext(String given) {
    assertThatThrownBy(() -> BuildInputs.of(given, "acme/kiln"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).hasValue("dockerfile"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "sha256:0000",
        "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
      })
  void refusesASecretWithoutAValidDigest(String digest) {
    assertThatThrownBy(() -> BuildInputs.of("Dockerfile", "").withSecretDigest("npmrc", digest))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the secret npmrc has no valid sha256 digest");
  }

  @Test
  void sortsArgumentsNaturallyWhateverTheCallersOrder() {
    TreeMap<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
    reversed.put("A", "1");
    reversed.put("B", "2");

    BuildInputs inputs = new BuildInputs("Dockerfile", null, reversed, null, null, null);

    assertThat(inputs.args().keySet()).containsExactly("A", "B");
    assertThat(inputs.target()).isEmpty();
    assertThat(inputs.cacheScope()).isEmpty();
    assertThat(inputs.platforms()).isEmpty();
  }

  @Test
  void keepsAnArgumentWithoutValueApartFromAnEmptyOne() {
    BuildInputs unset = BuildInputs.of("Dockerfile", "").withArg("A", null);
    BuildInputs empty = BuildInputs.of("Dockerfile", "").withArg("A", "");

    assertThat(unset.args()).containsEntry("A", null);
    assertThat(unset).isNotEqualTo(empty);
  }

  @Test
  void cannotBeChangedAfterwards() {
    BuildInputs inputs = BuildInputs.of("Dockerfile", "").withArg("A", "1");

    assertThatThrownBy(() -> inputs.args().put("B", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
