package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.image.Digest;
import dev.kiln.core.store.ContextUrls;
import dev.kiln.gateway.TestGateway.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContextApiTest {
  private static TestGateway gw;
  private static String cindy;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(ContextApiTest.class, new ContextLimits(64 * 1024, 8));
    cindy = gw.token("acme", "cindy");
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void uploadStoresOnceAndHeadFindsIt() {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").file("once", "1").bytes();
    String path = "/v1/contexts/" + Tars.digest(tar);

    Response first = gw.sendBytes("PUT", path, cindy, tar);
    Response second = gw.sendBytes("PUT", path, cindy, tar);
    Response head =
        gw.send(gw.request(path, cindy).method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().path("sizeBytes").asLong()).isEqualTo(tar.length);
    assertThat(second.status()).isEqualTo(200);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(tar.length);
  }

  @Test
  void headOfUnknownContextIs404() {
    Response head =
        gw.send(
            gw.request("/v1/contexts/sha256:" + "0".repeat(64), cindy)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(head.status()).isEqualTo(404);
  }

  @Test
  void uploadNeedsAToken() {
    byte[] tar = Tars.simpleContext();

    Response response = gw.sendBytes("PUT", "/v1/contexts/" + Tars.digest(tar), null, tar);

    assertThat(response.status()).isEqualTo(401);
  }

  @Test
  void bodyNotMatchingTheDigestIsRejected() {
    byte[] tar = Tars.simpleContext();
    Digest other = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

    Response response = gw.sendBytes("PUT", "/v1/contexts/" + other, cindy, tar);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error()).contains(other.toString()).contains(Tars.digest(tar).toString());
    assertThat(stored(other)).isFalse();
  }

  @Test
  void symlinkToAnAbsolutePathIsAccepted() {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").symlink("l", "/etc/os").bytes();

    Response response = gw.sendBytes("PUT", "/v1/contexts/" + Tars.digest(tar), cindy, tar);

    assertThat(response.status()).isEqualTo(201);
  }

  static Stream<Arguments> rejectedArchives() {
    byte[] valid = Tars.simpleContext();
    return Stream.of(
        Arguments.of("parent path", new Tars().file("../x", "x").bytes(), "../x"),
        Arguments.of("absolute path", new Tars().file("/etc/x", "x").bytes(), "/etc/x"),
        Arguments.of("escaping symlink", new Tars().symlink("l", "../../etc/passwd").bytes(), "l"),
        Arguments.of("truncated tar", Arrays.copyOf(valid, 700), ""),
        Arguments.of("not a tar", "hello, not a tar".getBytes(StandardCharsets.UTF_8), ""),
        Arguments.of("too many entries", manyEntries(9), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedArchives")
  void hostileArchiveIsRejectedAndFailsTheBuild(String name, byte[] tar, String entry) {
    String id = newBuild();
    Digest digest = Tars.digest(tar);

    Response response = gw.sendBytes("PUT", "/v1/contexts/" + digest + "?build=" + id, cindy, tar);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.error()).contains("rejected").contains(entry);
    assertThat(stored(digest)).isFalse();
    Response build = gw.send("GET", "/v1/builds/" + id, cindy, null);
    assertThat(build.json().path("state").asText()).isEqualTo("FAILED");
    assertThat(build.json().path("error").asText()).isEqualTo(response.error());
  }

  @Test
  void archiveOverTheSizeLimitIs413AndFailsTheBuild() {
    Tars big = new Tars();
    big.file("Dockerfile", "FROM scratch\n").file("big", "x".repeat(70 * 1024));
    byte[] tar = big.bytes();
    String id = newBuild();

    Response response =
        gw.sendBytes("PUT", "/v1/contexts/" + Tars.digest(tar) + "?build=" + id, cindy, tar);

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.error()).contains(".dockerignore");
    assertThat(gw.send("GET", "/v1/builds/" + id, cindy, null).json().path("state").asText())
        .isEqualTo("FAILED");
  }

  @Test
  void chunkedArchiveOverTheSizeLimitIs413AndIsNotStored() {
    byte[] tar =
        new Tars().file("Dockerfile", "FROM scratch\n").file("big2", "y".repeat(70 * 1024)).bytes();
    Digest digest = Tars.digest(tar);

    // ofInputStream has no known length, so the client sends the body chunked.
    Response response =
        gw.send(
            gw.request("/v1/contexts/" + digest, cindy)
                .PUT(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tar))));

    assertThat(response.status()).isEqualTo(413);
    assertThat(stored(digest)).isFalse();
  }

  @Test
  void uploadForAnotherNamespacesBuildIsForbidden() {
    String id = newBuild();
    String david = gw.token("acme", "david");
    byte[] tar = Tars.simpleContext();

    Response response =
        gw.sendBytes("PUT", "/v1/contexts/" + Tars.digest(tar) + "?build=" + id, david, tar);

    assertThat(response.status()).isEqualTo(403);
  }

  @Test
  void signedUrlServesTheArchiveWithoutAToken() throws Exception {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").file("s", "signed").bytes();
    Digest digest = Tars.digest(tar);
    gw.sendBytes("PUT", "/v1/contexts/" + digest, cindy, tar);

    HttpResponse<byte[]> response = get(sign(digest, Instant.now().plusSeconds(60)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(tar);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-tar");
  }

  @Test
  void expiredTamperedOrMissingSignaturesAreForbidden() throws Exception {
    byte[] tar = Tars.simpleContext();
    Digest digest = Tars.digest(tar);
    gw.sendBytes("PUT", "/v1/contexts/" + digest, cindy, tar);
    String valid = sign(digest, Instant.now().plusSeconds(60));
    String tampered = valid.substring(0, valid.length() - 1) + (valid.endsWith("0") ? "1" : "0");

    assertThat(get(sign(digest, Instant.now().minusSeconds(1))).statusCode()).isEqualTo(403);
    assertThat(get(tampered).statusCode()).isEqualTo(403);
    assertThat(get(gw.gateway().url() + "/v1/contexts/" + digest).statusCode()).isEqualTo(403);
  }

  @Test
  void signedUrlOfAMissingArchiveIs404() throws Exception {
    Digest digest = Digest.sha256("never uploaded".getBytes(StandardCharsets.UTF_8));

    assertThat(get(sign(digest, Instant.now().plusSeconds(60))).statusCode()).isEqualTo(404);
  }

  private static String sign(Digest digest, Instant expires) {
    return ContextUrls.sign(
        gw.gateway().url(),
        digest,
        expires,
        TestGateway.URL_SECRET.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return gw.http()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private static boolean stored(Digest digest) {
    return gw.send(
                gw.request("/v1/contexts/" + digest, cindy)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()))
            .status()
        == 200;
  }

  private static String newBuild() {
    return gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "ctx"))
        .json()
        .path("id")
        .asText();
  }

  private static byte[] manyEntries(int count) {
    Tars tars = new Tars();
    for (int i = 0; i < count; i++) {
      tars.file("f" + i, "x");
    }
    return tars.bytes();
  }
}
