package dev.kiln.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.image.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DependencyArgsTest {

  @ParameterizedTest
  @CsvSource({
    "base, KILN_BUILD_BASE_IMAGE",
    "go-base, KILN_BUILD_GO_BASE_IMAGE",
    "py.base_2, KILN_BUILD_PY_BASE_2_IMAGE"
  })
  void namesTheArgumentAfterTheDependency(String dependency, String name) {
    assertThat(DependencyArgs.argName(dependency)).isEqualTo(name);
  }

  @Test
  void pointsAtTheCacheImageByDigestWithoutItsTag() {
    Digest digest = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));
    BuiltImage base =
        new BuiltImage(
            "base",
            "127.0.0.1:5100/cindy/base:kiln",
            "127.0.0.1:5100/kiln/base:" + "a".repeat(64),
            digest,
            false);

    assertThat(DependencyArgs.argValue(base)).isEqualTo("127.0.0.1:5100/kiln/base@" + digest);
  }
}
