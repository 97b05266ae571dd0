package dev.kiln.registry.auth;

import static dev.kiln.registry.testing.ServiceHarness.exists;
import static dev.kiln.registry.testing.ServiceHarness.resolve;
import static dev.kiln.registry.testing.ServiceHarness.retag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.RegistryService;
import dev.kiln.registry.testing.RegistryProcess;
import dev.kiln.registry.testing.ServiceHarness;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestPusher;
import dev.kiln.registry.testing.TestTokenServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bearer-token auth against the real Distribution registry configured with {@code auth: token},
 * trusting a token service run by the test: challenge, scopes, basic credentials to the token
 * service, token reuse, and refusals that never read as "absent".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAuthContractTest {

  private static final Map<String, String> USERS = Map.of("ci", "ci-secret", "reader", "r-secret");

  private final Image api = TestContent.ociImage("token-api", "amd64");

  private TestTokenServer tokens;
  private RegistryProcess registry;

  @BeforeAll
  void start() throws Exception {
    tokens =
        new TestTokenServer(
            USERS,
            (user, repository) -> {
              if ("ci".equals(user)) {
                return Set.of("pull", "push");
              }
              return "reader".equals(user) ? Set.of("pull") : Set.of();
            });
    registry = RegistryProcess.start(tokens::registryAuth);
    new TestPusher(
            registry.host(),
            repository ->
                "Bearer " + tokens.issue("ci", List.of("repository:" + repository + ":pull,push")))
        .push("kiln/api", "v1", api);
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  @Test
  void aUserWithPushGetsTokensForExactlyTheScopesOfEachCallAndReusesThem() throws Exception {
    int before = tokens.requests().size();
    try (ServiceHarness service = harness(Optional.of(new Credentials("ci", "ci-secret")))) {
      for (int i = 0; i < 3; i++) {
        assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getDigest())
            .isEqualTo(api.digest().toString());
      }
      service.stub().retag(retag(ref("kiln/api:v1"), ref("cindy/api:kiln")));

      assertThat(service.stub().resolve(resolve(ref("cindy/api:kiln"))).getDigest())
          .isEqualTo(api.digest().toString());
      List<TestTokenServer.Request> asked =
          tokens.requests().subList(before, tokens.requests().size());
      assertThat(asked).allSatisfy(r -> assertThat(r.user()).isEqualTo("ci"));
      assertThat(asked).allSatisfy(r -> assertThat(r.service()).isEqualTo(TestTokenServer.SERVICE));
      assertThat(asked.stream().map(TestTokenServer.Request::scopes))
          .contains(List.of("repository:kiln/api:pull"))
          .contains(List.of("repository:cindy/api:pull,push", "repository:kiln/api:pull"));
      // three Exists on one repository: one token
      assertThat(asked.stream().filter(r -> r.scopes().equals(List.of("repository:kiln/api:pull"))))
          .hasSize(1);
    }
  }

  @Test
  void aReadOnlyUserCanLookUpButARetagIsPermissionDeniedNotAbsent() throws Exception {
    try (ServiceHarness service = harness(Optional.of(new Credentials("reader", "r-secret")))) {
      assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getExists()).isTrue();
      assertThat(service.stub().exists(exists(ref("kiln/api:nope"))).getExists()).isFalse();

      assertThatThrownBy(
              () -> service.stub().retag(retag(ref("kiln/api:v1"), ref("erin/api:kiln"))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(e.getStatus().getDescription()).contains("insufficient_scope");
              });
    }
  }

  @Test
  void wrongCredentialsAreUnauthenticatedWithTheTokenServicesAnswer() throws Exception {
    try (ServiceHarness service = harness(Optional.of(new Credentials("ci", "wrong")))) {
      assertThatThrownBy(() -> service.stub().exists(exists(ref("kiln/api:v1"))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription())
                    .contains(tokens.realm())
                    .contains("401")
                    .contains("KILN_REGISTRY_USERNAME");
              });
    }
  }

  @Test
  void anonymousCallersWithoutAccessAreDeniedNeverToldAbsent() throws Exception {
    try (ServiceHarness service = harness(Optional.empty())) {
      assertThatThrownBy(() -> service.stub().exists(exists(ref("kiln/api:v1"))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
  }

  private ServiceHarness harness(Optional<Credentials> credentials) {
    RegistryService.Config config =
        ServiceHarness.config(registry.host()).withCredentials(credentials, Set.of());
    return new ServiceHarness(config);
  }

  private String ref(String repositoryAndReference) {
    return registry.host() + "/" + repositoryAndReference;
  }
}
