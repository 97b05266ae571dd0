package dev.kiln.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StackEndpointsTest {

  @Test
  void withoutVariablesTheStackScriptDefaultsApply() {
    StackEndpoints endpoints = StackEndpoints.from(Map.of());

    assertThat(endpoints)
        .isEqualTo(
            new StackEndpoints(
                "jdbc:postgresql://127.0.0.1:55432/kiln",
                "kiln",
                "kiln",
                "127.0.0.1:5100",
                "tcp://127.0.0.1:11234",
                "127.0.0.1:19092"));
    assertThat(endpoints.baseImage()).isEqualTo("127.0.0.1:5100/library/busybox:latest");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "only the service variable, , 127.0.0.2:5000, 127.0.0.2:5000",
    "only the test variable, 127.0.0.3:5000, , 127.0.0.3:5000",
    "the test variable wins, 127.0.0.3:5000, 127.0.0.2:5000, 127.0.0.3:5000",
    "a blank test variable is ignored, ' ', 127.0.0.2:5000, 127.0.0.2:5000",
  })
  void testVariablesWinOverServiceVariables(
      String description, String testValue, String serviceValue, String expected) {
    Map<String, String> env = new HashMap<>();
    if (testValue != null) {
      env.put("KILN_TEST_REGISTRY", testValue);
    }
    if (serviceValue != null) {
      env.put("KILN_REGISTRY", serviceValue);
    }

    assertThat(StackEndpoints.from(env).registry()).isEqualTo(expected);
  }

  @Test
  void requireReachableNamesEachSilentPartAndTheCommandThatStartsIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    StackEndpoints endpoints =
        StackEndpoints.from(
            Map.of(
                "KILN_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/kiln",
                "KILN_TEST_REGISTRY", "127.0.0.1:" + closedPort,
                "KILN_TEST_BUILDKIT_ADDR", "tcp://127.0.0.1:" + closedPort));

    assertThatThrownBy(endpoints::requireReachable)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PostgreSQL at 127.0.0.1:" + closedPort)
        .hasMessageContaining("registry at 127.0.0.1:" + closedPort)
        .hasMessageContaining("BuildKit at 127.0.0.1:" + closedPort)
        .hasMessageContaining("scripts/stack.sh up");
  }

  @Test
  void requireReachablePassesWhenEveryPartAccepts() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + socket.getLocalPort();
      StackEndpoints endpoints =
          StackEndpoints.from(
              Map.of(
                  "KILN_TEST_DB_URL", "jdbc:postgresql://" + address + "/kiln",
                  "KILN_TEST_REGISTRY", address,
                  "KILN_TEST_BUILDKIT_ADDR", "tcp://" + address));

      assertThat(endpoints.requireReachable()).isSameAs(endpoints);
    }
  }
}
