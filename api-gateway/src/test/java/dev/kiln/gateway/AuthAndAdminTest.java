package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.TestGateway.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthAndAdminTest {
  private static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(AuthAndAdminTest.class);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void adminCreatesTokenThatIdentifiesOrgAndNamespace() {
    String token = gw.token("acme", "cindy");

    Response whoami = gw.send("GET", "/v1/whoami", token, null);

    assertThat(whoami.status()).isEqualTo(200);
    assertThat(whoami.json().path("org").asText()).isEqualTo("acme");
    assertThat(whoami.json().path("namespace").asText()).isEqualTo("cindy");
    assertThat(whoami.json().path("registry").asText()).isEqualTo(TestGateway.REGISTRY);
    assertThat(whoami.json().path("cacheNamespace").asText()).isEqualTo("kiln");
  }

  @Test
  void tokensAreRandomAndOnlyTheirHashIsStored() throws Exception {
    String first = gw.token("acme", "tokens");
    String second = gw.token("acme", "tokens");

    assertThat(first).isNotEqualTo(second).matches("[A-Za-z0-9_-]{43}");
    try (var c =
            java.sql.DriverManager.getConnection(
                gw.database().url(), gw.database().user(), gw.database().password());
        var rs = c.createStatement().executeQuery("SELECT token_sha256 FROM tokens")) {
      while (rs.next()) {
        assertThat(rs.getString(1)).matches("[0-9a-f]{64}").isNotIn(first, second);
      }
    }
  }

  @Test
  void requestWithoutTokenIsUnauthorized() {
    Response response = gw.send("GET", "/v1/whoami", null, null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.error()).contains("Authorization: Bearer");
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"kiln\"");
  }

  @Test
  void requestWithUnknownTokenIsUnauthorized() {
    Response response = gw.send("GET", "/v1/whoami", "not-a-token", null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.error()).contains("not a known kiln token");
  }

  @Test
  void nonBearerAuthorizationIsUnauthorized() {
    Response response =
        gw.send(gw.request("/v1/whoami", null).header("Authorization", "Basic Zm9vOmJhcg=="));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.error()).contains("Bearer <token>");
  }

  @Test
  void namespaceTokenCannotUseAdminEndpoints() {
    String token = gw.token("acme", "mallory");

    Response response =
        gw.send("POST", "/v1/admin/tokens", token, Map.of("org", "acme", "namespace", "x"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.error()).contains("this endpoint needs the admin token");
  }

  @Test
  void adminEndpointsWithoutOrWithAnUnknownTokenAreUnauthorized() {
    Response none =
        gw.send("PUT", "/v1/admin/orgs/acme/variables/KILN_CACHE_NAMESPACE", null, null);
    Response unknown =
        gw.send(
            "PUT",
            "/v1/admin/orgs/acme/variables/KILN_CACHE_NAMESPACE",
            "not-a-token",
            Map.of("value", "x"));

    assertThat(none.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.error()).contains("admin token");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "typo in the name        | KILN_SMART_BUILD_ENABLED  | true    | is not a known admin variable; use one of KILN_SMART_BUILDS_ENABLED, OKTETO_SMART_BUILDS_ENABLED, KILN_CACHE_NAMESPACE",
        "unknown name            | FOO                       | bar     | is not a known admin variable",
        "smart builds not bool   | OKTETO_SMART_BUILDS_ENABLED | maybe | must be true or false",
        "cache namespace grammar | KILN_CACHE_NAMESPACE      | Not_Ok  | field value: the namespace 'Not_Ok' is invalid",
      })
  void unknownVariablesAndInvalidValuesAreRejected(
      String name, String variable, String value, String message) {
    Response response =
        gw.send(
            "PUT",
            "/v1/admin/orgs/acme/variables/" + variable,
            TestGateway.ADMIN_TOKEN,
            Map.of("value", value));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error()).contains(message);
  }

  @Test
  void invalidOrgInTheUrlNamesTheOrganisation() {
    Response response =
        gw.send(
            "PUT",
            "/v1/admin/orgs/Org_A/variables/KILN_SMART_BUILDS_ENABLED",
            TestGateway.ADMIN_TOKEN,
            Map.of("value", "true"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error())
        .contains("the organisation in the URL: the organisation 'Org_A' is invalid")
        .doesNotContain("namespace");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing org       | {\"namespace\":\"a\"}                 | field org is required",
        "bad namespace     | {\"org\":\"acme\",\"namespace\":\"A_B\"} | namespace 'A_B' is invalid",
        "bad org           | {\"org\":\"Org A\",\"namespace\":\"a\"} | field org: the organisation 'Org A' is invalid; use 1 to 63 lowercase letters",
        "cache namespace   | {\"org\":\"acme\",\"namespace\":\"kiln\"} | field namespace",
        "unknown field     | {\"org\":\"acme\",\"namespace\":\"a\",\"x\":1} | unknown field x",
        "not json          | {org                                  | not valid JSON",
      })
  void invalidTokenRequestsNameTheProblem(String name, String body, String message) {
    Response response = gw.send("POST", "/v1/admin/tokens", TestGateway.ADMIN_TOKEN, body);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error()).contains(message);
  }

  @Test
  void adminVariableIsStored() {
    Response response =
        gw.send(
            "PUT",
            "/v1/admin/orgs/acme/variables/KILN_SMART_BUILDS_ENABLED",
            TestGateway.ADMIN_TOKEN,
            Map.of("value", "true"));

    assertThat(response.status()).isEqualTo(204);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "lower-case name   | smart      | {\"value\":\"false\"} | variable name 'smart' is not a known admin variable",
        "not a boolean     | KILN_SMART_BUILDS_ENABLED | {\"value\":\"maybe\"} | must be true or false",
        "missing value     | KILN_CACHE_NAMESPACE | {}                  | field value is required",
        "value not string  | KILN_CACHE_NAMESPACE | {\"value\":false}   | field value must be a string",
      })
  void invalidVariablesAreRejected(String name, String variable, String body, String message) {
    Response response =
        gw.send("PUT", "/v1/admin/orgs/acme/variables/" + variable, TestGateway.ADMIN_TOKEN, body);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error()).contains(message);
  }

  @Test
  void orgCacheNamespaceVariableChangesWhoami() {
    gw.send(
        "PUT",
        "/v1/admin/orgs/globex/variables/KILN_CACHE_NAMESPACE",
        TestGateway.ADMIN_TOKEN,
        Map.of("value", "globex-cache"));
    String token = gw.token("globex", "hank");

    Response whoami = gw.send("GET", "/v1/whoami", token, null);

    assertThat(whoami.json().path("cacheNamespace").asText()).isEqualTo("globex-cache");
  }

  @Test
  void unknownPathAndWrongMethodAreJsonErrors() {
    String token = gw.token("acme", "paths");

    Response unknown = gw.send("GET", "/v1/nothing", token, null);
    Response wrongMethod = gw.send("DELETE", "/v1/whoami", token, null);

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).contains("/v1/nothing");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.error()).contains("use GET");
  }

  @Test
  void oversizedJsonBodyIsRejectedWith413() {
    String big = "{\"org\":\"" + "a".repeat(100_000) + "\",\"namespace\":\"a\"}";

    Response response = gw.send("POST", "/v1/admin/tokens", TestGateway.ADMIN_TOKEN, big);

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.error()).contains("bytes");
  }
}
