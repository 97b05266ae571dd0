package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.TestGateway.Response;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registry paths carry no organisation, so every namespace belongs to one organisation as a user or
 * a cache namespace. Each test is an attack by another organisation on "victim".
 */
class NamespaceOwnershipTest {
  private static TestGateway gw;
  private static String alice;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(NamespaceOwnershipTest.class);
    alice = gw.token("victim", "alice");
    // The victim builds first, so the default cache namespace "kiln" becomes the victim's.
    assertThat(gw.send("POST", "/v1/builds", alice, Builds.request("alice", "api")).status())
        .isEqualTo(202);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void anotherOrgCannotGetATokenForATakenUserNamespace() {
    Response response = tokenRequest("orgb", "alice");

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.error())
        .contains("namespace 'alice' belongs to another organisation")
        .contains("'orgb'")
        .doesNotContain("victim");
  }

  @Test
  void anotherOrgCannotGetATokenForACacheNamespace() {
    setCacheNamespace("orgb", "orgb-cache");

    Response response = tokenRequest("orgb", "kiln");

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.error()).contains("'kiln' belongs to another organisation");
  }

  @Test
  void anotherOrgCannotTakeAUserOrCacheNamespaceAsItsCacheNamespace() {
    Response userNamespace = putCacheNamespace("orgc", "alice");
    Response cacheNamespace = putCacheNamespace("orgc", "kiln");

    assertThat(userNamespace.status()).isEqualTo(409);
    assertThat(userNamespace.error())
        .contains("'alice' belongs to another organisation")
        .contains("KILN_CACHE_NAMESPACE")
        .doesNotContain("victim");
    assertThat(cacheNamespace.status()).isEqualTo(409);
    String carol = gw.token("orgc", "carol");
    assertThat(gw.send("GET", "/v1/whoami", carol, null).json().path("cacheNamespace").asText())
        .isEqualTo("kiln");
  }

  @Test
  void anOrgCannotTurnItsOwnUserNamespaceIntoItsCacheNamespace() {
    gw.token("orgd", "dora");

    Response response = putCacheNamespace("orgd", "dora");

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.error()).contains("'dora' is a user namespace of organisation 'orgd'");
  }

  @Test
  void anotherOrgCannotSkipIntoAnotherOrgsCacheWithItsClientHash() {
    String bob = gw.token("orge", "bob");
    int published = gw.publisher().published().size();

    Response stolen = gw.send("POST", "/v1/builds", bob, Builds.request("bob", "api"));

    assertThat(stolen.status()).isEqualTo(409);
    assertThat(stolen.error())
        .contains("the cache namespace 'kiln' belongs to another organisation")
        .contains("PUT /v1/admin/orgs/orge/variables/KILN_CACHE_NAMESPACE")
        .doesNotContain("victim");
    assertThat(gw.publisher().published()).hasSize(published);

    setCacheNamespace("orge", "orge-cache");
    Response own = gw.send("POST", "/v1/builds", bob, Builds.request("bob", "api"));

    assertThat(own.status()).isEqualTo(202);
    assertThat(own.json().path("cacheRef").asText()).isEqualTo("127.0.0.1:5100/orge-cache/api");
    assertThat(gw.publisher().last().getCacheNamespace()).isEqualTo("orge-cache");
  }

  @Test
  void concurrentTokenRequestsOfTwoOrgsGiveTheNamespaceToOne() throws Exception {
    List<Callable<Integer>> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String org = "race" + i;
      requests.add(() -> tokenRequest(org, "contested").status());
    }

    List<Integer> statuses = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(8)) {
      for (Future<Integer> status : pool.invokeAll(requests)) {
        statuses.add(status.get());
      }
    }

    assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
  }

  @Test
  void migrationGivesEachExistingNamespaceToItsOldestToken() throws Exception {
    try (TestDatabase db = TestDatabase.create(NamespaceOwnershipTest.class)) {
      Flyway.configure()
          .dataSource(db.url(), db.user(), db.password())
          .target("2")
          .load()
          .migrate();
      try (var c = DriverManager.getConnection(db.url(), db.user(), db.password());
          var s = c.createStatement()) {
        s.execute(
            "INSERT INTO tokens VALUES ('h1', 'late', 'shared', '2024-02-01T00:00:00Z'),"
                + " ('h2', 'early', 'shared', '2024-01-01T00:00:00Z'),"
                + " ('h3', 'late', 'own', '2024-03-01T00:00:00Z')");
      }
      Flyway.configure().dataSource(db.url(), db.user(), db.password()).load().migrate();

      try (var c = DriverManager.getConnection(db.url(), db.user(), db.password());
          var rs =
              c.createStatement()
                  .executeQuery("SELECT name, org, kind FROM namespace_owners ORDER BY name")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getString(1) + "=" + rs.getString(2) + "/" + rs.getString(3));
        }
        assertThat(rows).containsExactly("own=late/user", "shared=early/user");
      }
    }
  }

  private static Response tokenRequest(String org, String namespace) {
    return gw.send(
        "POST",
        "/v1/admin/tokens",
        TestGateway.ADMIN_TOKEN,
        Map.of("org", org, "namespace", namespace));
  }

  private static Response putCacheNamespace(String org, String value) {
    return gw.send(
        "PUT",
        "/v1/admin/orgs/" + org + "/variables/KILN_CACHE_NAMESPACE",
        TestGateway.ADMIN_TOKEN,
        Map.of("value", value));
  }

  private static void setCacheNamespace(String org, String value) {
    assertThat(putCacheNamespace(org, value).status()).isEqualTo(204);
  }
}
