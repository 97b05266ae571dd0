package dev.kiln.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryContextStoreTest {

  private static final byte[] BODY = "a context tar".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256(BODY);

  @TempDir Path root;

  private DirectoryContextStore store() {
    return new DirectoryContextStore(root);
  }

  @Test
  void storesUnderTheDigestAndReadsBack() throws IOException {
    StoreResult result = store().put(DIGEST, new ByteArrayInputStream(BODY), ContextLimits.DEFAULT);

    assertThat(result).isEqualTo(new StoreResult(DIGEST, BODY.length, true));
    assertThat(store().exists(DIGEST)).isTrue();
    assertThat(store().sizeBytes(DIGEST)).isEqualTo(BODY.length);
    try (InputStream in = store().open(DIGEST)) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
    assertThat(root.resolve("sha256").resolve(DIGEST.hex())).exists();
  }

  @Test
  void storingTheSameArchiveAgainCreatesNothing() {
    store().put(DIGEST, new ByteArrayInputStream(BODY), ContextLimits.DEFAULT);

    StoreResult again = store().put(DIGEST, new ByteArrayInputStream(BODY), ContextLimits.DEFAULT);

    assertThat(again.created()).isFalse();
    assertThat(again.sizeBytes()).isEqualTo(BODY.length);
  }

  @Test
  void refusesABodyWhoseDigestDiffersAndKeepsNothing() throws IOException {
    Digest other = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () -> store().put(other, new ByteArrayInputStream(BODY), ContextLimits.DEFAULT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has the digest " + DIGEST + ", not " + other);
    assertThat(store().exists(other)).isFalse();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void refusesABodyOverTheLimit() throws IOException {
    assertThatThrownBy(
            () -> store().put(DIGEST, new ByteArrayInputStream(BODY), new ContextLimits(5, 10)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("larger than the limit of 5 bytes");
    assertThat(store().exists(DIGEST)).isFalse();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void answersNotFoundForMissingArchives() {
    assertThat(store().exists(DIGEST)).isFalse();
    assertThatThrownBy(() -> store().open(DIGEST))
        .isInstanceOf(ContextNotFoundException.class)
        .hasMessageContaining(DIGEST.toString());
    assertThatThrownBy(() -> store().sizeBytes(DIGEST))
        .isInstanceOf(ContextNotFoundException.class);
  }

  @Test
  void deletesAndToleratesDeletingTwice() {
    store().put(DIGEST, new ByteArrayInputStream(BODY), ContextLimits.DEFAULT);

    store().delete(DIGEST);
    store().delete(DIGEST);

    assertThat(store().exists(DIGEST)).isFalse();
  }

  @Test
  void refusesDigestsOtherThanSha256() {
    Digest sha512 = Digest.parse("sha512:" + "a".repeat(128));

    assertThatThrownBy(() -> store().exists(sha512))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("sha256");
  }

  @Test
  void concurrentUploadsOfTheSameArchiveAllSucceedAndOneCreatesIt() throws Exception {
    byte[] body = new byte[1 << 20];
    new Random(7).nextBytes(body);
    Digest digest = Digest.sha256(body);
    List<Callable<StoreResult>> uploads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      uploads.add(() -> store().put(digest, new ByteArrayInputStream(body), ContextLimits.DEFAULT));
    }

    List<StoreResult> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<StoreResult> future : pool.invokeAll(uploads)) {
        results.add(future.get());
      }
    }

    assertThat(results).filteredOn(StoreResult::created).hasSize(1);
    assertThat(results).allSatisfy(r -> assertThat(r.sizeBytes()).isEqualTo(body.length));
    try (InputStream in = store().open(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(body);
    }
    assertThat(leftovers()).isEmpty();
  }

  private List<Path> leftovers() throws IOException {
    Path tmp = root.resolve("tmp");
    if (!Files.exists(tmp)) {
      return List.of();
    }
    try (var files = Files.list(tmp)) {
      return files.toList();
    }
  }
}
