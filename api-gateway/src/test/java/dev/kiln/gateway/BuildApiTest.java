package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.Outcome;
import dev.kiln.gateway.TestGateway.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuildApiTest {
  private static TestGateway gw;
  private static String cindy;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(BuildApiTest.class);
    cindy = gw.token("acme", "cindy");
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void acceptedBuildIsQueuedAndPublishedWithSortedParameters() {
    Map<String, Object> body = Builds.request("cindy", "api");
    body.put(
        "params",
        Map.of(
            "dockerfile",
            "./docker//Dockerfile",
            "target",
            "release",
            "args",
            Map.of("Z", "26", "A", "1"),
            "platforms",
            List.of("linux/arm64", "linux/amd64")));

    Response response = gw.send("POST", "/v1/builds", cindy, body);

    assertThat(response.status()).isEqualTo(202);
    JsonNode accepted = response.json();
    assertThat(accepted.path("state").asText()).isEqualTo("QUEUED");
    assertThat(accepted.path("imageRef").asText()).isEqualTo("127.0.0.1:5100/cindy/api:kiln");
    assertThat(accepted.path("cacheRef").asText()).isEqualTo("127.0.0.1:5100/kiln/api");
    BuildRequested event = gw.publisher().last();
    assertThat(event.getRequestId()).isEqualTo(accepted.path("id").asText());
    assertThat(event.getSequence()).isEqualTo(accepted.path("sequence").asLong());
    assertThat(event.getOrg()).isEqualTo("acme");
    assertThat(event.getNamespace()).isEqualTo("cindy");
    assertThat(event.getTag()).isEqualTo("kiln");
    assertThat(event.getRegistry()).isEqualTo("127.0.0.1:5100");
    assertThat(event.getCacheNamespace()).isEqualTo("kiln");
    assertThat(event.getClientHash()).isEqualTo(Builds.HASH_A);
    assertThat(event.getSmartBuilds()).isTrue();
    assertThat(event.hasContext()).isFalse();
    assertThat(event.getParams().getDockerfile()).isEqualTo("docker/Dockerfile");
    assertThat(event.getParams().getTarget()).isEqualTo("release");
    assertThat(event.getParams().getArgsList())
        .extracting(a -> a.getName() + "=" + a.getValue())
        .containsExactly("A=1", "Z=26");
    assertThat(event.getParams().getPlatformsList()).containsExactly("linux/amd64", "linux/arm64");
    assertThat(event.getParams().getSecretsList()).isEmpty();
  }

  @Test
  void sequencesGrowPerNamespaceAndImage() {
    long first =
        gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "seq"))
            .json()
            .path("sequence")
            .asLong();
    long second =
        gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "seq"))
            .json()
            .path("sequence")
            .asLong();
    long other =
        gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "seq-other"))
            .json()
            .path("sequence")
            .asLong();

    assertThat(second).isEqualTo(first + 1);
    assertThat(other).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "image missing        | {\"clientHash\":\"%s\"}                          | field image is required",
        "image upper-case     | {\"image\":\"Api\",\"clientHash\":\"%s\"}        | field image",
        "tag invalid          | {\"image\":\"api\",\"tag\":\".x\",\"clientHash\":\"%s\"} | field tag",
        "no hash, no context  | {\"image\":\"api\"}                              | clientHash and contextDigest",
        "hash too short       | {\"image\":\"api\",\"clientHash\":\"abc\"}       | field clientHash",
        "context not sha256   | {\"image\":\"api\",\"contextDigest\":\"md5:00\"} | field contextDigest",
        "dockerfile escapes   | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"dockerfile\":\"../Dockerfile\"}} | field params.dockerfile",
        "dockerfile absolute  | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"dockerfile\":\"/Dockerfile\"}} | field params.dockerfile",
        "arg name invalid     | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"args\":{\"1A\":\"x\"}}} | field params.args",
        "arg value number     | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"args\":{\"A\":1}}} | field params.args.A must be a string",
        "platform invalid     | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"platforms\":[\"linux/amd64\",\"amd64\"]}} | field params.platforms[1]",
        "secret not a digest  | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"secrets\":{\"npmrc\":\"hunter2\"}}} | field params.secrets.npmrc",
        "secrets unsupported  | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"secrets\":{\"npmrc\":\"%s\"}}} | remote builds with secrets are not supported yet",
        "target invalid       | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"target\":\"-x\"}} | field params.target",
        "noCache not boolean  | {\"image\":\"api\",\"clientHash\":\"%s\",\"noCache\":\"yes\"} | field noCache must be a boolean",
        "unknown field        | {\"image\":\"api\",\"clientHash\":\"%s\",\"imgae\":\"x\"} | unknown field imgae",
        "unknown params field | {\"image\":\"api\",\"clientHash\":\"%s\",\"params\":{\"file\":\"x\"}} | unknown field params.file",
        "not an object        | [1,2]                                            | JSON object",
      })
  void invalidRequestsAreRejectedNamingTheField(String name, String template, String message) {
    String body = template.replace("%s", Builds.HASH_A);
    int before = gw.publisher().published().size();

    Response response = gw.send("POST", "/v1/builds", cindy, body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.error()).contains(message);
    assertThat(gw.publisher().published()).hasSize(before);
  }

  @Test
  void buildingInAnotherNamespaceIsForbidden() {
    Response response = gw.send("POST", "/v1/builds", cindy, Builds.request("david", "api"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.error()).contains("namespace cindy").contains("david");
  }

  @Test
  void anOrgCacheNamespaceAndItsUserNamespacesStayApart() {
    String token = gw.token("initech", "peter");
    Response cacheOverUser =
        gw.send(
            "PUT",
            "/v1/admin/orgs/initech/variables/KILN_CACHE_NAMESPACE",
            TestGateway.ADMIN_TOKEN,
            Map.of("value", "peter"));
    gw.send(
        "PUT",
        "/v1/admin/orgs/initech/variables/KILN_CACHE_NAMESPACE",
        TestGateway.ADMIN_TOKEN,
        Map.of("value", "initech-cache"));
    Response userOverCache =
        gw.send(
            "POST",
            "/v1/admin/tokens",
            TestGateway.ADMIN_TOKEN,
            Map.of("org", "initech", "namespace", "initech-cache"));

    assertThat(cacheOverUser.status()).isEqualTo(409);
    assertThat(cacheOverUser.error()).contains("'peter' is a user namespace");
    assertThat(userOverCache.status()).isEqualTo(400);
    assertThat(userOverCache.error()).contains("field namespace").contains("cache namespace");
    assertThat(gw.send("POST", "/v1/builds", token, Builds.request("peter", "api")).status())
        .isEqualTo(202);
  }

  @ParameterizedTest
  @ValueSource(strings = {"KILN_SMART_BUILDS_ENABLED", "OKTETO_SMART_BUILDS_ENABLED"})
  void adminVariableDisablesSmartBuildsForTheWholeOrg(String variable) {
    String org = "org-" + variable.substring(0, 4).toLowerCase(java.util.Locale.ROOT);
    String namespace = "erin-" + org;
    String token = gw.token(org, namespace);
    gw.send(
        "PUT",
        "/v1/admin/orgs/" + org + "/variables/KILN_CACHE_NAMESPACE",
        TestGateway.ADMIN_TOKEN,
        Map.of("value", org + "-cache"));
    gw.send(
        "PUT",
        "/v1/admin/orgs/" + org + "/variables/" + variable,
        TestGateway.ADMIN_TOKEN,
        Map.of("value", "false"));

    Response response = gw.send("POST", "/v1/builds", token, Builds.request(namespace, "api"));

    assertThat(response.status()).isEqualTo(202);
    assertThat(gw.publisher().last().getSmartBuilds()).isFalse();
    assertThat(
            gw.send("GET", "/v1/builds/" + response.json().path("id").asText(), token, null)
                .json()
                .path("smartBuilds")
                .asBoolean())
        .isFalse();
  }

  @Test
  void kafkaFailureAnswers503AndMarksTheBuildFailed() throws Exception {
    gw.publisher().failNext();

    Response response = gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "down"));

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.error()).contains("Kafka did not acknowledge").contains("run it again");
    var rows =
        gw.builds()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT state, error FROM builds WHERE image = 'down'")
                        .mapToMap()
                        .list());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("state")).isEqualTo("FAILED");
    assertThat((String) rows.get(0).get("error")).contains("Kafka");
  }

  @Test
  void buildRecordIsVisibleOnlyToItsNamespace() {
    String id =
        gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "private"))
            .json()
            .path("id")
            .asText();
    String sameOrgOtherNamespace = gw.token("acme", "david");
    String otherOrg = gw.token("umbrella", "umbra");

    Response own = gw.send("GET", "/v1/builds/" + id, cindy, null);
    Response forbidden = gw.send("GET", "/v1/builds/" + id, sameOrgOtherNamespace, null);
    Response hidden = gw.send("GET", "/v1/builds/" + id, otherOrg, null);

    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().path("image").asText()).isEqualTo("private");
    assertThat(own.json().path("params").path("dockerfile").asText()).isEqualTo("Dockerfile");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.error()).contains("belongs to namespace cindy");
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(gw.send("GET", "/v1/builds/" + id + "/events", sameOrgOtherNamespace, null).status())
        .isEqualTo(403);
    assertThat(gw.send("GET", "/v1/builds/" + id + "/events", otherOrg, null).status())
        .isEqualTo(404);
  }

  @Test
  void unknownAndMalformedBuildIds() {
    assertThat(gw.send("GET", "/v1/builds/" + UUID.randomUUID(), cindy, null).status())
        .isEqualTo(404);
    Response malformed = gw.send("GET", "/v1/builds/nope", cindy, null);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.error()).contains("not a UUID");
  }

  @Test
  void contextAttachedAfterNeedsContextRepublishesTheRequest() {
    String id =
        gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "attach"))
            .json()
            .path("id")
            .asText();
    gw.completions()
        .handle(Builds.completion(id, Outcome.NEEDS_CONTEXT).setHash(Builds.HASH_A).build());
    assertThat(state(id)).isEqualTo("NEEDS_CONTEXT");
    byte[] tar = Tars.simpleContext();
    String digest = Tars.digest(tar).toString();
    assertThat(gw.sendBytes("PUT", "/v1/contexts/" + digest, cindy, tar).status()).isEqualTo(201);

    Response attached =
        gw.send("POST", "/v1/builds/" + id + "/context", cindy, Map.of("contextDigest", digest));

    assertThat(attached.status()).isEqualTo(202);
    assertThat(attached.json().path("state").asText()).isEqualTo("QUEUED");
    BuildRequested event = gw.publisher().last();
    assertThat(event.getRequestId()).isEqualTo(id);
    assertThat(event.getContext().getTarDigest()).isEqualTo(digest);
    assertThat(event.getClientHash()).isEqualTo(Builds.HASH_A);

    int published = gw.publisher().published().size();
    Response again =
        gw.send("POST", "/v1/builds/" + id + "/context", cindy, Map.of("contextDigest", digest));
    assertThat(again.status()).isEqualTo(202);
    assertThat(gw.publisher().published()).hasSize(published);

    gw.completions().handle(Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));
    Response late =
        gw.send("POST", "/v1/builds/" + id + "/context", cindy, Map.of("contextDigest", digest));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.error()).contains("SUCCEEDED");
  }

  @Test
  void attachingAContextThatIsNotUploadedIsRejected() {
    String id =
        gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "attach2"))
            .json()
            .path("id")
            .asText();

    Response response =
        gw.send(
            "POST",
            "/v1/builds/" + id + "/context",
            cindy,
            Map.of("contextDigest", "sha256:" + "9".repeat(64)));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.error()).contains("field contextDigest").contains("upload the context");
  }

  private static String state(String id) {
    return gw.send("GET", "/v1/builds/" + id, cindy, null).json().path("state").asText();
  }
}
