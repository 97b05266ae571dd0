package dev.kiln.gateway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.http.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuildRequestValidatorTest {
  @ParameterizedTest
  @CsvSource({
    "Dockerfile, Dockerfile",
    "./Dockerfile, Dockerfile",
    "api//docker/./Dockerfile.prod, api/docker/Dockerfile.prod",
    "api/Dockerfile/, api/Dockerfile",
  })
  void dockerfilePathsAreCleaned(String given, String cleaned) {
    assertThat(BuildRequestValidator.dockerfile(given)).isEqualTo(cleaned);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../Dockerfile", "a/../../Dockerfile", "/Dockerfile", " ", ".", "./"})
  void dockerfilePathsOutsideTheContextAreRejected(String given) {
    assertThatThrownBy(() -> BuildRequestValidator.dockerfile(given))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("field params.dockerfile");
  }
}
