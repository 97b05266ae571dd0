package dev.kiln.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.build.CreateBuildBody;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"image\":1}                               | field image must be a string",
        "{\"noCache\":\"true\"}                      | field noCache must be a boolean",
        "{\"params\":{\"platforms\":\"linux/amd64\"}} | field params.platforms must be an array",
        "{\"params\":{\"platforms\":[1]}}            | field params.platforms[0] must be a string",
        "{\"params\":{\"args\":[]}}                  | field params.args must be an object",
        "{\"params\":{\"args\":{\"A\":true}}}        | field params.args.A must be a string",
        "{\"params\":[]}                             | field params must be an object",
        "{\"image\":\"a\"} {}                        | not a single JSON object",
        "''                                          | empty or not a single JSON object",
        "null                                        | the request body is null",
      })
  void errorsNameTheFieldAndWhatItMustBe(String body, String message) {
    var in = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> Json.read(in, CreateBuildBody.class))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @ParameterizedTest
  @CsvSource({"plain,plain", "a\u0000b,a\uFFFDb"})
  void storableTextHasNoNulCharacters(String text, String storable) {
    assertThat(Json.storable(text)).isEqualTo(storable);
  }
}
