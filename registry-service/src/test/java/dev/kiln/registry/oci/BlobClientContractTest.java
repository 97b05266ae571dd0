package dev.kiln.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.testing.RegistryProcess;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Blob;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestPusher;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Blob presence, mount and copy against a real CNCF Distribution registry. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlobClientContractTest {

  private final Image image = TestContent.ociImage("blobs", "amd64");
  private RegistryProcess registry;
  private BlobClient blobs;
  private Repository source;

  @BeforeAll
  void start() throws Exception {
    registry = RegistryProcess.start();
    new TestPusher(registry.host()).push("kiln/blobs", "v1", image);
    blobs =
        new BlobClient(
            new RegistryTransport(
                RegistryTransport.defaultHttpClient(Duration.ofSeconds(2)),
                Set.of(registry.host()),
                RegistryAuthenticator.anonymous(),
                Duration.ofSeconds(30)));
    source = new Repository(registry.host(), "kiln/blobs");
  }

  @AfterAll
  void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aBlobOfAnotherRepositoryIsMountedWithoutUpload() {
    Repository target = new Repository(registry.host(), "mounted/blobs");
    Blob layer = image.layer();
    assertThat(blobs.exists(target, layer.digest())).isFalse();

    Optional<URI> refused = blobs.mount(target, layer.digest(), source);

    assertThat(refused).isEmpty();
    assertThat(blobs.exists(target, layer.digest())).isTrue();
  }

  @Test
  void aRefusedMountOpensAnUploadThatACopyCompletes(@TempDir Path tmp) throws Exception {
    Repository target = new Repository(registry.host(), "copied/blobs");
    Repository empty = new Repository(registry.host(), "empty/blobs");
    Blob config = image.config();

    // the registry cannot mount from a repository that lacks the blob: it opens an upload instead
    Optional<URI> session = blobs.mount(target, config.digest(), empty);
    assertThat(session).isPresent();

    Path file = tmp.resolve("blob");
    blobs.download(source, config.digest(), file);
    blobs.upload(session.get(), target, config.digest(), file);

    assertThat(Files.readAllBytes(file)).isEqualTo(config.bytes());
    assertThat(blobs.exists(target, config.digest())).isTrue();
  }
}
