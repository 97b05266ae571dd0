package dev.kiln.registry.auth;

import static dev.kiln.registry.testing.ServiceHarness.exists;
import static dev.kiln.registry.testing.ServiceHarness.retag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.RegistryService;
import dev.kiln.registry.testing.Htpasswd;
import dev.kiln.registry.testing.RegistryProcess;
import dev.kiln.registry.testing.ServiceHarness;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Blob;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestPusher;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth against the real Distribution registry with an htpasswd file (bcrypt, written by the
 * test): credentials from the configuration and from a Docker {@code config.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtpasswdContractTest {

  private static final Credentials CI = new Credentials("ci", "ci-secret");

  private final Image api = TestContent.ociImage("basic-api", "amd64");
  private RegistryProcess registry;
  private TestPusher pusher;

  @BeforeAll
  void start() throws Exception {
    registry =
        RegistryProcess.start(dir -> Htpasswd.write(dir, Map.of(CI.username(), CI.password())));
    pusher = new TestPusher(registry.host(), repository -> BasicAuthenticator.header(CI));
    pusher.push("kiln/api", "v1", api);
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void configuredCredentialsLookUpAndRetagAcrossRepositories() throws Exception {
    try (ServiceHarness service = harness(Optional.of(CI), Set.of(registry.host()))) {
      assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getDigest())
          .isEqualTo(api.digest().toString());

      service.stub().retag(retag(ref("kiln/api:v1"), ref("cindy/api:kiln")));

      assertThat(pusher.getManifest("cindy/api", "kiln").body()).isEqualTo(api.bytes());
      for (Blob blob : api.blobs()) {
        assertThat(pusher.blobExists("cindy/api", blob.digest())).isTrue();
      }
    }
  }

  @Test
  void credentialsForAnotherHostAreNotSentAndTheCallIsUnauthenticated() throws Exception {
    try (ServiceHarness service = harness(Optional.of(CI), Set.of("registry.example.com"))) {
      assertUnauthenticated(service, "KILN_REGISTRY_USERNAME");
    }
  }

  @Test
  void wrongPasswordIsUnauthenticatedNotAbsent() throws Exception {
    try (ServiceHarness service = harness(Optional.of(new Credentials("ci", "nope")), Set.of())) {
      assertUnauthenticated(service, "401");
    }
  }

  @Test
  void credentialsFromADockerConfigWithAuthOrUserAndPassword(@TempDir Path dir) throws Exception {
    String auth =
        Base64.getEncoder().encodeToString("ci:ci-secret".getBytes(StandardCharsets.UTF_8));
    for (String entry :
        new String[] {
          "{\"auth\":\"" + auth + "\"}", "{\"username\":\"ci\",\"password\":\"ci-secret\"}"
        }) {
      Path config = dir.resolve("config.json");
      Files.writeString(config, "{\"auths\":{\"http://" + registry.host() + "\":" + entry + "}}");
      RegistryService.Config withFile =
          ServiceHarness.config(registry.host()).withDockerConfig(Optional.of(config));
      try (ServiceHarness service = new ServiceHarness(withFile)) {
        assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getExists()).isTrue();
      }
    }
  }

  @Test
  void aCredentialHelperInTheDockerConfigIsReportedAsUnsupported(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"credHelpers\":{\"" + registry.host() + "\":\"secretservice\"}}");
    RegistryService.Config withFile =
        ServiceHarness.config(registry.host()).withDockerConfig(Optional.of(config));
    try (ServiceHarness service = new ServiceHarness(withFile)) {
      assertUnauthenticated(service, "docker-credential-secretservice");
    }
  }

  private void assertUnauthenticated(ServiceHarness service, String hint) {
    assertThatThrownBy(() -> service.stub().exists(exists(ref("kiln/api:v1"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains(hint);
            });
  }

  private ServiceHarness harness(Optional<Credentials> credentials, Set<String> hosts) {
    return new ServiceHarness(
        ServiceHarness.config(registry.host()).withCredentials(credentials, hosts));
  }

  private String ref(String repositoryAndReference) {
    return registry.host() + "/" + repositoryAndReference;
  }
}
