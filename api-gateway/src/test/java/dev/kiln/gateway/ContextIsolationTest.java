package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.TestGateway.Response;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uploaded contexts are usable only by the organisations that uploaded them. */
class ContextIsolationTest {
  private static TestGateway gw;
  private static String alice;
  private static String bob;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(ContextIsolationTest.class);
    alice = gw.token("acme", "alice");
    bob = gw.token("beta", "bob");
    gw.send(
        "PUT",
        "/v1/admin/orgs/beta/variables/KILN_CACHE_NAMESPACE",
        TestGateway.ADMIN_TOKEN,
        Map.of("value", "beta-cache"));
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void anotherOrgCannotSeeOrBuildFromAnUploadedContextByItsDigest() {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").file("secret", "acme").bytes();
    String digest = Tars.digest(tar).toString();
    assertThat(gw.sendBytes("PUT", "/v1/contexts/" + digest, alice, tar).status()).isEqualTo(201);
    int published = gw.publisher().published().size();

    Response head = head(digest, bob);
    Response build = gw.send("POST", "/v1/builds", bob, contextBuild("bob", digest));

    assertThat(head.status()).isEqualTo(404);
    assertThat(build.status()).isEqualTo(404);
    assertThat(build.error()).contains("upload the context first").doesNotContain("acme");
    assertThat(gw.publisher().published()).hasSize(published);
    assertThat(head(digest, alice).status()).isEqualTo(200);
  }

  @Test
  void anotherOrgCannotAttachAnUploadedContextToItsBuild() {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").file("attach", "acme").bytes();
    String digest = Tars.digest(tar).toString();
    gw.sendBytes("PUT", "/v1/contexts/" + digest, alice, tar);
    String id =
        gw.send("POST", "/v1/builds", bob, Builds.request("bob", "api")).json().path("id").asText();

    Response attach =
        gw.send("POST", "/v1/builds/" + id + "/context", bob, Map.of("contextDigest", digest));

    assertThat(attach.status()).isEqualTo(404);
    assertThat(attach.error()).contains("upload the context first");
  }

  @Test
  void putOfAnotherOrgsDigestMustSendTheMatchingBytes() {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").file("put", "acme").bytes();
    String digest = Tars.digest(tar).toString();
    gw.sendBytes("PUT", "/v1/contexts/" + digest, alice, tar);

    Response empty = gw.sendBytes("PUT", "/v1/contexts/" + digest, bob, new byte[0]);
    Response other = gw.sendBytes("PUT", "/v1/contexts/" + digest, bob, Tars.simpleContext());

    assertThat(empty.status()).isEqualTo(400);
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.error()).contains("digest");
    assertThat(head(digest, bob).status()).isEqualTo(404);

    Response real = gw.sendBytes("PUT", "/v1/contexts/" + digest, bob, tar);

    assertThat(real.status()).isEqualTo(200);
    assertThat(head(digest, bob).status()).isEqualTo(200);
    assertThat(gw.send("POST", "/v1/builds", bob, contextBuild("bob", digest)).status())
        .isEqualTo(202);
  }

  @Test
  void theOwnOrgsRepeatedUploadIsAcceptedWithoutTheBody() {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").file("again", "acme").bytes();
    String digest = Tars.digest(tar).toString();
    gw.sendBytes("PUT", "/v1/contexts/" + digest, alice, tar);

    Response again = gw.sendBytes("PUT", "/v1/contexts/" + digest, alice, new byte[0]);

    assertThat(again.status()).isEqualTo(200);
  }

  private static Response head(String digest, String token) {
    return gw.send(
        gw.request("/v1/contexts/" + digest, token)
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  private static Map<String, Object> contextBuild(String namespace, String digest) {
    return Map.of("namespace", namespace, "image", "api", "contextDigest", digest);
  }
}
