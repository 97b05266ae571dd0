package dev.kiln.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChallengeTest {

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of(
            "Distribution's bearer challenge",
            "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                + "scope=\"repository:kiln/api:pull\"",
            List.of(
                new Challenge(
                    "Bearer",
                    Map.of(
                        "realm", "https://auth.example.com/token",
                        "service", "registry.example.com",
                        "scope", "repository:kiln/api:pull")))),
        Arguments.of(
            "an error and spaces around commas and equals",
            "Bearer realm=\"r\" , error = \"insufficient_scope\", scope=\"a b\"",
            List.of(
                new Challenge(
                    "bearer",
                    Map.of("realm", "r", "error", "insufficient_scope", "scope", "a b")))),
        Arguments.of(
            "two challenges in one header",
            "Basic realm=\"kiln\", Bearer realm=\"https://t/token\",service=s",
            List.of(
                new Challenge("basic", Map.of("realm", "kiln")),
                new Challenge("bearer", Map.of("realm", "https://t/token", "service", "s")))),
        Arguments.of(
            "escapes in quoted strings and upper-case parameter names",
            "Basic Realm=\"say \\\"hi\\\"\"",
            List.of(new Challenge("basic", Map.of("realm", "say \"hi\"")))),
        Arguments.of(
            "a scheme without parameters",
            "Negotiate",
            List.of(new Challenge("negotiate", Map.of()))),
        Arguments.of(
            "a token68 credential is skipped",
            "Negotiate abc==, Basic realm=\"x\"",
            List.of(
                new Challenge("negotiate", Map.of("abc", "")),
                new Challenge("basic", Map.of("realm", "x")))),
        Arguments.of("an empty header", "", List.of()),
        Arguments.of("garbage", "=,=\"", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  void parsesChallengesLikeRfc7235(String name, String header, List<Challenge> expected) {
    assertThat(Challenge.parse(header)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  void neverFailsOnAnyHeader(String name, String header, List<Challenge> expected) {
    for (int end = 0; end <= header.length(); end++) {
      Challenge.parse(header.substring(0, end));
    }
  }
}
