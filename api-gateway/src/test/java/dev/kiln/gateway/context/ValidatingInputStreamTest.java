package dev.kiln.gateway.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.image.Digest;
import dev.kiln.core.store.DirectoryContextStore;
import dev.kiln.gateway.Tars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatingInputStreamTest {
  @TempDir Path root;

  @Test
  void validArchiveReachesTheStoreUnchanged() throws IOException {
    DirectoryContextStore store = new DirectoryContextStore(root);
    byte[] tar = Tars.simpleContext();
    Digest digest = Tars.digest(tar);

    try (InputStream in = validating(tar)) {
      store.put(digest, in, ContextLimits.DEFAULT);
    }

    try (InputStream stored = store.open(digest)) {
      assertThat(stored.readAllBytes()).isEqualTo(tar);
    }
  }

  @Test
  void rejectedArchiveEndsInAnErrorInsteadOfEndOfStream() {
    byte[] tar = new Tars().file("Dockerfile", "FROM scratch\n").file("../x", "x").bytes();
    ValidatingInputStream in = validating(tar);

    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(ArchiveRejectedException.class)
        .hasMessageContaining("../x");
    assertThat(in.rejection()).isNotNull();
  }

  @Test
  void storeNeverCommitsARejectedArchive() {
    DirectoryContextStore store = new DirectoryContextStore(root);
    byte[] tar = new Tars().symlink("l", "../../etc/passwd").bytes();
    Digest digest = Tars.digest(tar);

    assertThatThrownBy(
        () -> {
          try (InputStream in = validating(tar)) {
            store.put(digest, in, ContextLimits.DEFAULT);
          }
        });

    assertThat(store.exists(digest)).isFalse();
  }

  @Test
  void truncatedArchiveIsRejected() {
    byte[] tar = Arrays.copyOf(Tars.simpleContext(), 600);

    assertThatThrownBy(validating(tar)::readAllBytes).isInstanceOf(ArchiveRejectedException.class);
  }

  @Test
  void closingBeforeTheEndReleasesTheValidator() throws IOException {
    ValidatingInputStream in = validating(Tars.simpleContext());
    in.readNBytes(100);

    in.close();

    assertThat(in.verdict()).failsWithin(Duration.ofSeconds(10));
    assertThat(in.rejection()).isNull();
  }

  private static ValidatingInputStream validating(byte[] tar) {
    return new ValidatingInputStream(new ByteArrayInputStream(tar), ContextLimits.DEFAULT);
  }
}
