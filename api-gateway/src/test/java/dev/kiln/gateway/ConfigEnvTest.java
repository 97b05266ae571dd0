package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigEnvTest {
  private static Map<String, String> required() {
    Map<String, String> env = new HashMap<>();
    env.put("KILN_CONTEXT_URL_SECRET", "s");
    env.put("KILN_ADMIN_TOKEN", "a");
    return env;
  }

  @Test
  void defaultsFollowTheArchitectureTable() {
    Gateway.Config config = Gateway.Config.fromEnv(required());

    assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
    assertThat(config.dbUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:55432/kiln");
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isEqualTo(8480);
    assertThat(config.registry()).isEqualTo("127.0.0.1:5100");
    assertThat(config.cacheNamespace()).isEqualTo("kiln");
    assertThat(config.registryService()).isEqualTo("127.0.0.1:8491");
    assertThat(config.contextDir()).isEqualTo(Path.of(".stack", "contexts"));
  }

  @Test
  void contextDirFollowsTheStackDir() {
    Map<String, String> env = required();
    env.put("KILN_STACK_DIR", "/srv/kiln");
    env.put("KILN_HTTP_ADDR", "0.0.0.0:9000");

    Gateway.Config config = Gateway.Config.fromEnv(env);

    assertThat(config.contextDir()).isEqualTo(Path.of("/srv/kiln/contexts"));
    assertThat(config.httpPort()).isEqualTo(9000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"KILN_CONTEXT_URL_SECRET", "KILN_ADMIN_TOKEN"})
  void missingRequiredVariablesAreNamed(String name) {
    Map<String, String> env = required();
    env.remove(name);

    assertThatThrownBy(() -> Gateway.Config.fromEnv(env))
        .hasMessageStartingWith(name + " is not set");
  }

  @Test
  void malformedHttpAddressIsExplained() {
    Map<String, String> env = required();
    env.put("KILN_HTTP_ADDR", "8480");

    assertThatThrownBy(() -> Gateway.Config.fromEnv(env)).hasMessageContaining("host:port");
  }
}
