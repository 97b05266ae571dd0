package dev.kiln.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvSettingsTest {

  @ParameterizedTest
  @CsvSource({
    "90, PT1M30S",
    "90s, PT1M30S",
    "30m, PT30M",
    "2h, PT2H",
    "500ms, PT0.5S",
    "PT45M, PT45M",
    "pt10s, PT10S"
  })
  void readsTheBuildTimeoutInSeveralSpellings(String text, String expected) {
    assertThat(new EnvSettings(Map.of("KILN_BUILD_TIMEOUT", text)).buildTimeout())
        .isEqualTo(Duration.parse(expected));
  }

  @Test
  void defaultsTheBuildTimeoutToHalfAnHour() {
    assertThat(new EnvSettings(Map.of()).buildTimeout()).isEqualTo(Duration.ofMinutes(30));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "0", "-5s", "10 minutes", "99999999999999999999"})
  void rejectsATimeoutThatIsNotAPositiveDuration(String text) {
    assertThatThrownBy(() -> new EnvSettings(Map.of("KILN_BUILD_TIMEOUT", text)).buildTimeout())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("KILN_BUILD_TIMEOUT='" + text + "' is not a positive duration");
  }

  @ParameterizedTest
  @CsvSource({
    "KILN_SMART_BUILDS_ENABLED, false, false",
    "KILN_SMART_BUILDS_ENABLED, FALSE, false",
    "OKTETO_SMART_BUILDS_ENABLED, false, false",
    "KILN_SMART_BUILDS_ENABLED, true, true",
    "KILN_SMART_BUILDS_ENABLED, 0, false",
    "KILN_SMART_BUILDS_ENABLED, off, false",
    "OKTETO_SMART_BUILDS_ENABLED, yes, true",
    "OTHER, false, true"
  })
  void readsTheSmartBuildsSwitch(String variable, String value, boolean enabled) {
    assertThat(new EnvSettings(Map.of(variable, value)).smartBuilds()).isEqualTo(enabled);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bogus", "flase", "2"})
  void refusesASmartBuildsSwitchItCannotRead(String value) {
    assertThatThrownBy(
            () -> new EnvSettings(Map.of("KILN_SMART_BUILDS_ENABLED", value)).smartBuilds())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("KILN_SMART_BUILDS_ENABLED='" + value + "' is not a switch");
  }

  @Test
  void prefersOptionsOverEnvironmentOverDefaults() {
    EnvSettings env = new EnvSettings(Map.of("KILN_URL", "http://gw:1", "KILN_TOKEN", "env"));

    assertThat(env.gatewayUrl("http://opt:2")).isEqualTo("http://opt:2");
    assertThat(env.gatewayUrl(null)).isEqualTo("http://gw:1");
    assertThat(new EnvSettings(Map.of()).gatewayUrl(null)).isEqualTo("http://127.0.0.1:8480");
    assertThat(env.token("opt")).isEqualTo("opt");
    assertThat(env.token(null)).isEqualTo("env");
    assertThat(new EnvSettings(Map.of()).token(null)).isNull();
  }
}
