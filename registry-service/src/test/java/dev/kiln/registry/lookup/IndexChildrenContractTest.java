package dev.kiln.registry.lookup;

import static dev.kiln.registry.testing.ServiceHarness.exists;
import static dev.kiln.registry.testing.ServiceHarness.resolve;
import static dev.kiln.registry.testing.ServiceHarness.retag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.testing.RegistryProcess;
import dev.kiln.registry.testing.ServiceHarness;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestContent.Index;
import dev.kiln.registry.testing.TestPusher;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An index whose child manifest was deleted from the real registry is missing to every call, names
 * the child, and is never retagged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexChildrenContractTest {

  private final Image amd64 = TestContent.ociImage("gc", "amd64");
  private final Image arm64 = TestContent.ociImage("gc", "arm64");
  private final Index broken = TestContent.ociIndex(amd64, arm64);
  private final Index whole =
      TestContent.ociIndex(
          TestContent.ociImage("whole", "amd64"), TestContent.ociImage("whole", "arm64"));

  private RegistryProcess registry;
  private TestPusher pusher;
  private ServiceHarness service;

  @BeforeAll
  void start() throws Exception {
    registry = RegistryProcess.start();
    pusher = new TestPusher(registry.host());
    pusher.push("kiln/gc", "v1", broken);
    pusher.push("kiln/whole", "v1", whole);
    pusher.deleteManifest("kiln/gc", arm64.digest());
    service = new ServiceHarness(ServiceHarness.config(registry.host()));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aCompleteIndexExists() {
    assertThat(service.stub().exists(exists(ref("kiln/whole:v1"))).getDigest())
        .isEqualTo(whole.digest().toString());
  }

  @Test
  void anIndexWithADeletedChildDoesNotExist() {
    assertThat(service.stub().exists(exists(ref("kiln/gc:v1"))).getExists()).isFalse();
    assertThat(service.stub().exists(exists(ref("kiln/gc@" + broken.digest()))).getExists())
        .isFalse();
  }

  @Test
  void resolvingItIsNotFoundNamingTheMissingChild() {
    assertNotFoundNamingTheChild(() -> service.stub().resolve(resolve(ref("kiln/gc:v1"))));
  }

  @Test
  void itIsNeverRetaggedWithinOrAcrossRepositories() {
    assertNotFoundNamingTheChild(
        () -> service.stub().retag(retag(ref("kiln/gc:v1"), ref("kiln/gc:latest"))));
    assertNotFoundNamingTheChild(
        () -> service.stub().retag(retag(ref("kiln/gc:v1"), ref("cindy/gc:kiln"))));

    assertThat(service.stub().exists(exists(ref("kiln/gc:latest"))).getExists()).isFalse();
    assertThat(service.stub().exists(exists(ref("cindy/gc:kiln"))).getExists()).isFalse();
    assertThat(pusher.getManifest("cindy/gc", "kiln").statusCode()).isEqualTo(404);
  }

  private void assertNotFoundNamingTheChild(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .contains(arm64.digest().toString())
                  .contains(broken.digest().toString());
            });
  }

  private String ref(String repositoryAndReference) {
    return registry.host() + "/" + repositoryAndReference;
  }
}
