package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.TestGateway.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile JSON bodies get a 400 naming the field, never a 500 or Java internals. */
class JsonBodyHardeningTest {
  private static TestGateway gw;
  private static String cindy;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(JsonBodyHardeningTest.class);
    cindy = gw.token("acme", "cindy");
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NUL in an arg value   | /v1/builds | {\"image\":\"api\",\"clientHash\":\"%h\",\"params\":{\"args\":{\"A\":\"\\u0000\"}}} | field params.args.A contains a NUL",
        "NUL in an arg name    | /v1/builds | {\"image\":\"api\",\"clientHash\":\"%h\",\"params\":{\"args\":{\"A\\u0000\":\"x\"}}} | field name of params.args.A\\u0000 contains a NUL",
        "NUL in a list item    | /v1/builds | {\"image\":\"api\",\"clientHash\":\"%h\",\"params\":{\"platforms\":[\"linux/amd64\",\"a\\u0000\"]}} | field params.platforms[1] contains a NUL",
        "lone high surrogate   | /v1/builds | {\"image\":\"api\\ud800\",\"clientHash\":\"%h\"} | field image contains an unpaired UTF-16 surrogate",
        "lone low surrogate    | /v1/builds | {\"image\":\"api\",\"clientHash\":\"%h\",\"params\":{\"target\":\"\\udc00x\"}} | field params.target contains an unpaired",
        "duplicate key         | /v1/builds | {\"image\":\"api\",\"image\":\"web\",\"clientHash\":\"%h\"} | Duplicate field 'image'",
        "array body            | /v1/builds | [1,2]                                        | not a single JSON object",
        "string body           | /v1/builds | \"x\"                                        | not a single JSON object",
        "params is a string    | /v1/builds | {\"image\":\"api\",\"clientHash\":\"%h\",\"params\":\"x\"} | field params must be an object",
        "context body is array | /v1/builds/00000000-0000-0000-0000-000000000000/context | [] | not a single JSON object",
      })
  void buildBodiesAreRefusedNamingTheField(String name, String path, String body, String message) {
    int published = gw.publisher().published().size();

    Response response = gw.send("POST", path, cindy, body.replace("%h", Builds.HASH_A));

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.error()).contains(message).doesNotContain("dev.kiln", "java.", "SQL");
    assertThat(gw.publisher().published()).hasSize(published);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NUL in a variable value | PUT  | /v1/admin/orgs/acme/variables/KILN_CACHE_NAMESPACE | {\"value\":\"a\\u0000b\"} | field value contains a NUL",
        "surrogate in an org     | POST | /v1/admin/tokens | {\"org\":\"\\ud83d\",\"namespace\":\"x\"} | field org contains an unpaired",
        "duplicate org           | POST | /v1/admin/tokens | {\"org\":\"a\",\"org\":\"b\",\"namespace\":\"x\"} | Duplicate field 'org'",
        "token body is array     | POST | /v1/admin/tokens | []                                | not a single JSON object",
      })
  void adminBodiesAreRefusedNamingTheField(
      String name, String method, String path, String body, String message) {
    Response response = gw.send(method, path, TestGateway.ADMIN_TOKEN, body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.error()).contains(message).doesNotContain("dev.kiln", "java.", "SQL");
  }
}
