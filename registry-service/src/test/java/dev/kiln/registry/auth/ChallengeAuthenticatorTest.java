package dev.kiln.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.oci.RegistryRequest;
import dev.kiln.registry.oci.RegistryTransport;
import dev.kiln.registry.oci.RegistryUnauthorizedException;
import dev.kiln.registry.oci.RegistryUnavailableException;
import dev.kiln.registry.resilience.CallDeadline;
import dev.kiln.registry.testing.FakeRegistry;
import dev.kiln.registry.testing.FakeRegistry.Reply;
import dev.kiln.registry.testing.TestTokenServer;
import dev.kiln.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The challenge flow against an in-test registry and token service, with a fake clock. */
class ChallengeAuthenticatorTest {

  private static final String PATH = "/v2/kiln/api/manifests/v1";
  private static final Credentials CI = new Credentials("ci", "ci-secret");

  private final MutableClock clock = new MutableClock();
  private FakeRegistry registry;
  private TestTokenServer tokens;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    tokens = new TestTokenServer(Map.of("ci", "ci-secret"), (user, repo) -> Set.of("pull", "push"));
  }

  @AfterEach
  void stop() {
    registry.close();
    tokens.close();
  }

  @Test
  void aBearerChallengeGetsATokenForTheScopesWhichIsReusedUntilItExpires() {
    bearerProtected();
    tokens.lifetime(Duration.ofSeconds(120));
    RegistryTransport transport = transport(Optional.of(CI));

    assertThat(transport.exchange(pull(transport)).status()).isEqualTo(200);
    assertThat(tokens.requests())
        .containsExactly(
            new TestTokenServer.Request(
                "ci", TestTokenServer.SERVICE, List.of("repository:kiln/api:pull")));
    assertThat(registry.lines()).containsExactly("GET " + PATH, "GET " + PATH);

    clock.advance(Duration.ofSeconds(100));
    transport.exchange(pull(transport));
    assertThat(tokens.requests()).hasSize(1);

    // 120 s minus the 10 s safety margin: fetched again, up front, without another 401
    clock.advance(Duration.ofSeconds(11));
    transport.exchange(pull(transport));
    assertThat(tokens.requests()).hasSize(2);
    assertThat(registry.lines()).hasSize(4);
  }

  @Test
  void anAccessTokenWithoutExpiresInLivesTheSpecsDefaultSixtySeconds() {
    bearerProtected();
    tokens.answerAsAccessToken();
    tokens.lifetime(Duration.ZERO);
    RegistryTransport transport = transport(Optional.of(CI));

    transport.exchange(pull(transport));
    clock.advance(Duration.ofSeconds(49));
    transport.exchange(pull(transport));
    assertThat(tokens.requests()).hasSize(1);

    clock.advance(Duration.ofSeconds(2));
    transport.exchange(pull(transport));
    assertThat(tokens.requests()).hasSize(2);
  }

  @Test
  void eachScopeSetGetsItsOwnTokenAndAMountAsksForTheSourceToo() {
    bearerProtected();
    registry.on("POST", "/v2/cindy/api/blobs/uploads/", this::bearerOr401);
    RegistryTransport transport = transport(Optional.of(CI));

    transport.exchange(pull(transport));
    transport.exchange(
        RegistryRequest.of(
            "POST",
            transport.uri(registry.host(), "/v2/cindy/api/blobs/uploads/"),
            AuthScope.mount(registry.host(), "cindy/api", "kiln/api"),
            "blob.mount",
            "mount",
            Map.of()));

    assertThat(tokens.requests().stream().map(TestTokenServer.Request::scopes))
        .containsExactly(
            List.of("repository:kiln/api:pull"),
            List.of("repository:cindy/api:pull,push", "repository:kiln/api:pull"));
  }

  @Test
  void aBasicChallengeIsAnsweredWithCredentialsThenSentUpFront() {
    String expected = BasicAuthenticator.header(CI);
    registry.on(
        "GET",
        PATH,
        request ->
            expected.equals(request.header("Authorization"))
                ? Reply.of(200)
                : Reply.of(401, Map.of("WWW-Authenticate", "Basic realm=\"kiln\"")));
    RegistryTransport transport = transport(Optional.of(CI));

    transport.exchange(pull(transport));
    transport.exchange(pull(transport));

    assertThat(registry.requests().stream().map(r -> r.header("Authorization")))
        .containsExactly(null, expected, expected);
  }

  @Test
  void withoutCredentialsABasicChallengeIsFinal() {
    registry.on("GET", PATH, Reply.of(401, Map.of("WWW-Authenticate", "Basic realm=\"kiln\"")));
    RegistryTransport transport = transport(Optional.empty());

    assertThat(transport.exchange(pull(transport)).status()).isEqualTo(401);
    assertThat(registry.lines()).hasSize(1);
  }

  @Test
  void aTokenServiceRefusingTheCredentialsIsUnauthorizedAndNamesTheRealm() {
    bearerProtected();
    RegistryTransport transport = transport(Optional.of(new Credentials("ci", "wrong")));

    assertThatThrownBy(() -> transport.exchange(pull(transport)))
        .isInstanceOf(RegistryUnauthorizedException.class)
        .hasMessageContaining(tokens.realm())
        .hasMessageContaining("as ci");
  }

  @Test
  void anUnreachableTokenServiceIsRetryable() {
    registry.on(
        "GET",
        PATH,
        Reply.of(401, Map.of("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:1/token\"")));
    RegistryTransport transport = transport(Optional.of(CI));

    assertThatThrownBy(() -> transport.exchange(pull(transport)))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("token");
  }

  private void bearerProtected() {
    registry.on("GET", PATH, this::bearerOr401);
  }

  private Reply bearerOr401(FakeRegistry.Request request) {
    String auth = request.header("Authorization");
    if (auth != null && auth.startsWith("Bearer ey")) {
      return Reply.of(200);
    }
    return Reply.of(
        401,
        Map.of(
            "WWW-Authenticate",
            "Bearer realm=\"" + tokens.realm() + "\",service=\"" + TestTokenServer.SERVICE + "\""));
  }

  private RegistryTransport transport(Optional<Credentials> credentials) {
    CredentialStore store = host -> credentials;
    TokenClient client =
        new TokenClient(
            RegistryTransport.defaultHttpClient(Duration.ofSeconds(2)),
            clock,
            Duration.ofSeconds(5),
            CallDeadline.none(),
            RegistryMetrics.inMemory());
    return new RegistryTransport(
        RegistryTransport.defaultHttpClient(Duration.ofSeconds(2)),
        Set.of(registry.host()),
        new ChallengeAuthenticator(store, client, clock),
        Duration.ofSeconds(5));
  }

  private RegistryRequest pull(RegistryTransport transport) {
    return RegistryRequest.of(
        "GET",
        transport.uri(registry.host(), PATH),
        AuthScope.pull(registry.host(), "kiln/api"),
        "manifest.get",
        "get",
        Map.of());
  }
}
