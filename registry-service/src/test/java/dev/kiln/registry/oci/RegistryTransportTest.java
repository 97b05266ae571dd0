package dev.kiln.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.auth.AuthScope;
import dev.kiln.registry.auth.BasicAuthenticator;
import dev.kiln.registry.auth.Credentials;
import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.testing.FakeRegistry;
import dev.kiln.registry.testing.FakeRegistry.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryTransportTest {

  private FakeRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void insecureHostsGetPlainHttpAndAllOthersHttps() {
    RegistryTransport transport =
        transport(RegistryAuthenticator.anonymous(), Duration.ofSeconds(5));

    assertThat(transport.uri(registry.host(), "/v2/").toString())
        .isEqualTo("http://" + registry.host() + "/v2/");
    assertThat(transport.uri("registry.example.com", "/v2/").toString())
        .isEqualTo("https://registry.example.com/v2/");
  }

  @Test
  void basicCredentialsAreSentToTheRegistry() {
    registry.on("GET", "/v2/", Reply.of(200));
    RegistryTransport transport =
        transport(new BasicAuthenticator(new Credentials("kiln", "s3cret")), Duration.ofSeconds(5));

    transport.exchange(get("/v2/", transport));

    assertThat(registry.requests().get(0).header("Authorization"))
        .isEqualTo("Basic a2lsbjpzM2NyZXQ="); // base64("kiln:s3cret")
  }

  @Test
  void aChallengeIsAnsweredOnceWhenTheAuthenticatorCanRefresh() {
    registry.on(
        "GET",
        "/v2/",
        request ->
            "Bearer fresh".equals(request.header("Authorization"))
                ? Reply.of(200)
                : Reply.of(401, Map.of("WWW-Authenticate", "Bearer realm=\"x\"")));
    List<String> challenges = new ArrayList<>();
    RegistryAuthenticator bearer =
        new RegistryAuthenticator() {
          private String token = "stale";

          @Override
          public Optional<String> authorization(AuthScope scope) {
            return Optional.of("Bearer " + token);
          }

          @Override
          public boolean refresh(AuthScope scope, String challenge) {
            challenges.add(challenge);
            token = "fresh";
            return true;
          }
        };
    RegistryTransport transport = transport(bearer, Duration.ofSeconds(5));

    RegistryResponse response = transport.exchange(get("/v2/", transport));

    assertThat(response.status()).isEqualTo(200);
    assertThat(challenges).containsExactly("Bearer realm=\"x\"");
    assertThat(registry.lines()).containsExactly("GET /v2/", "GET /v2/");
  }

  @Test
  void aSecond401IsFinal() {
    registry.on("GET", "/v2/", Reply.of(401));
    RegistryAuthenticator alwaysRefreshes =
        new RegistryAuthenticator() {
          @Override
          public Optional<String> authorization(AuthScope scope) {
            return Optional.empty();
          }

          @Override
          public boolean refresh(AuthScope scope, String challenge) {
            return true;
          }
        };
    RegistryTransport transport = transport(alwaysRefreshes, Duration.ofSeconds(5));

    assertThat(transport.exchange(get("/v2/", transport)).status()).isEqualTo(401);
    assertThat(registry.lines()).hasSize(2);
  }

  @Test
  void redirectsOfReadsAreFollowedWithoutCredentialsForAnotherHost() throws Exception {
    try (FakeRegistry storage = new FakeRegistry()) {
      storage.on("GET", "/blob", new Reply(200, Map.of(), new byte[] {1, 2, 3}));
      registry.on(
          "GET",
          "/v2/a/blobs/x",
          Reply.of(307, Map.of("Location", "http://" + storage.host() + "/blob")));
      RegistryTransport transport =
          transport(new BasicAuthenticator(new Credentials("u", "p")), Duration.ofSeconds(5));

      RegistryResponse response = transport.exchange(get("/v2/a/blobs/x", transport));

      assertThat(response.body()).containsExactly(1, 2, 3);
      assertThat(registry.requests().get(0).header("Authorization")).isNotNull();
      assertThat(storage.requests().get(0).header("Authorization")).isNull();
    }
  }

  @Test
  void aRegistryThatDoesNotAnswerInTimeIsUnavailable() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    registry.on(
        "GET",
        "/v2/",
        request -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Reply.of(200);
        });
    RegistryTransport transport =
        transport(RegistryAuthenticator.anonymous(), Duration.ofMillis(200));
    try {
      assertThatThrownBy(() -> transport.exchange(get("/v2/", transport)))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("did not answer in time");
    } finally {
      release.countDown();
    }
  }

  private RegistryTransport transport(RegistryAuthenticator auth, Duration timeout) {
    return new RegistryTransport(
        RegistryTransport.defaultHttpClient(Duration.ofSeconds(2)),
        Set.of(registry.host()),
        auth,
        timeout);
  }

  private RegistryRequest get(String path, RegistryTransport transport) {
    return RegistryRequest.of(
        "GET",
        transport.uri(registry.host(), path),
        AuthScope.pull(registry.host(), "a"),
        "test.get",
        "test",
        Map.of());
  }
}
