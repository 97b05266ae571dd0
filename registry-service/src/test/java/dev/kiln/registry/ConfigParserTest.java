package dev.kiln.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.RegistryService.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {

  @Test
  void defaultsFollowTheArchitectureContract() {
    Config config = Config.fromEnvironment(Map.of());

    assertThat(config.grpcAddress().getHostString()).isEqualTo("127.0.0.1");
    assertThat(config.grpcAddress().getPort()).isEqualTo(8491);
    assertThat(config.insecureHosts()).containsExactly("127.0.0.1:5100");
    assertThat(config.credentials()).isEmpty();
  }

  @Test
  void readsAddressInsecureHostsAndCredentials() {
    Config config =
        Config.fromEnvironment(
            Map.of(
                "KILN_GRPC_ADDR", "127.0.0.1:0",
                "KILN_REGISTRY_INSECURE", " 127.0.0.1:5100 , localhost:5000,",
                "KILN_REGISTRY_USERNAME", "kiln",
                "KILN_REGISTRY_PASSWORD", "s3cret"));

    assertThat(config.grpcAddress().getPort()).isZero();
    assertThat(config.insecureHosts())
        .containsExactlyInAnyOrder("127.0.0.1:5100", "localhost:5000");
    assertThat(config.credentials().orElseThrow().username()).isEqualTo("kiln");
    assertThat(config.credentials().orElseThrow().toString()).doesNotContain("s3cret");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8491", "127.0.0.1", "127.0.0.1:port", ":8491", "127.0.0.1:70000"})
  void aMalformedGrpcAddressNamesTheVariable(String value) {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("KILN_GRPC_ADDR", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_GRPC_ADDR")
        .hasMessageContaining(value);
  }

  @Test
  void aPasswordWithoutUserIsRejected() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("KILN_REGISTRY_PASSWORD", "x")))
        .hasMessageContaining("KILN_REGISTRY_USERNAME");
  }

  @Test
  void readsAuthHostsMetricsAddressAndADockerConfigDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("config.json"), "{}");

    Config config =
        Config.fromEnvironment(
            Map.of(
                "KILN_REGISTRY_USERNAME", "kiln",
                "KILN_REGISTRY_PASSWORD", "s3cret",
                "KILN_REGISTRY_AUTH_HOSTS", "registry.example.com, 127.0.0.1:5100",
                "KILN_DOCKER_CONFIG", dir.toString(),
                "KILN_METRICS_ADDR", "127.0.0.1:9464"));

    assertThat(config.authHosts())
        .containsExactlyInAnyOrder("registry.example.com", "127.0.0.1:5100");
    assertThat(config.dockerConfig()).contains(dir.resolve("config.json"));
    assertThat(config.metricsAddress().orElseThrow().getPort()).isEqualTo(9464);
  }

  @Test
  void theDockerConfigDefaultsToTheHomeDirectoryOnlyWhenItExists(@TempDir Path home)
      throws Exception {
    assertThat(Config.fromEnvironment(Map.of("HOME", home.toString())).dockerConfig()).isEmpty();

    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), "{}");
    assertThat(Config.fromEnvironment(Map.of("HOME", home.toString())).dockerConfig())
        .contains(home.resolve(".docker/config.json"));
  }

  @Test
  void aDockerConfigThatIsNotThereIsRejected(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                Config.fromEnvironment(
                    Map.of("KILN_DOCKER_CONFIG", dir.resolve("nope.json").toString())))
        .hasMessageContaining("KILN_DOCKER_CONFIG");
  }

  @Test
  void aMalformedMetricsAddressNamesTheVariable() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("KILN_METRICS_ADDR", "9464")))
        .hasMessageContaining("KILN_METRICS_ADDR");
  }
}
