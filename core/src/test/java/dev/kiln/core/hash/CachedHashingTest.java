package dev.kiln.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.context.ContextScan;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.hash.cache.StatCache;
import dev.kiln.core.hash.cache.StatCaches;
import dev.kiln.core.image.BuildHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hashing with the stat cache: reuse only what provably did not change. */
class CachedHashingTest {

  @TempDir Path context;
  @TempDir Path cacheDir;

  private final BuildInputs inputs = BuildInputs.of("Dockerfile", "acme/kiln");
  private final List<String> reads = Collections.synchronizedList(new ArrayList<>());

  /** Every run starts an hour after the files were written: none of them is racy. */
  private Clock clock = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);

  @BeforeEach
  void sampleTree() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("src/a.txt", "alpha");
    write("src/b.txt", "beta");
    Files.createSymbolicLink(context.resolve("link"), Path.of("src/a.txt"));
  }

  @Test
  void rehashesAnUnchangedTreeWithoutReadingAnyFile() {
    BuildHash first = hash();
    reads.clear();

    BuildHash second = hash();

    assertThat(reads).isEmpty();
    assertThat(second).isEqualTo(first).isEqualTo(uncached());
  }

  enum Change {
    CONTENT_SAME_SIZE,
    MTIME_ONLY,
    MODE,
    REPLACED_BY_RENAME,
    GROWN
  }

  @ParameterizedTest
  @EnumSource(Change.class)
  void readsAFileAgainWhenAnyPartOfItsStatChanged(Change change) throws IOException {
    hash();
    reads.clear();
    Path file = context.resolve("src/a.txt");
    FileTime mtime = Files.getLastModifiedTime(file);
    switch (change) {
      case CONTENT_SAME_SIZE -> {
        Files.writeString(file, "ALPHA");
        Files.setLastModifiedTime(file, mtime);
      }
      case MTIME_ONLY ->
          Files.setLastModifiedTime(file, FileTime.fromMillis(mtime.toMillis() - 5000));
      case MODE ->
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
      case REPLACED_BY_RENAME -> {
        Path other = context.resolve("new.tmp");
        Files.writeString(other, "alpha");
        Files.setLastModifiedTime(other, mtime);
        Files.move(
            other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      case GROWN -> Files.writeString(file, "alpha and more");
    }

    BuildHash hash = hash();

    assertThat(reads).containsExactly("src/a.txt");
    assertThat(hash).isEqualTo(uncached());
  }

  @Test
  void neverTrustsAFileWrittenWithinTheRacyMarginOfTheRun() {
    // the run starts right after the files were written, as when an editor saves and kiln runs
    clock = Clock.systemUTC();
    hash();
    reads.clear();

    hash();

    assertThat(reads).containsExactlyInAnyOrder("Dockerfile", "src/a.txt", "src/b.txt");
  }

  @Test
  void trustsARacyFileOnceALaterRunHasReadItAgain() {
    clock = Clock.systemUTC();
    hash();
    clock = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
    hash();
    reads.clear();

    hash();

    assertThat(reads).isEmpty();
  }

  @Test
  void keepsNoCacheInsideTheContextItDescribes() throws IOException {
    StatCaches inside = StatCaches.in(context.resolve(".cache/kiln"), clock);

    BuildHash first = hash(inside);
    BuildHash second = hash(inside);

    assertThat(context.resolve(".cache")).doesNotExist();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void writesNothingWhenNothingWasRead() throws IOException {
    hash();
    Path file;
    try (Stream<Path> files = Files.list(cacheDir)) {
      file = files.findFirst().orElseThrow();
    }
    Files.delete(file);
    hash();
    reads.clear();
    Files.setLastModifiedTime(file, FileTime.fromMillis(0));

    hash();

    assertThat(reads).isEmpty();
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.fromMillis(0));
  }

  private BuildHash hash() {
    return hash(StatCaches.in(cacheDir, clock));
  }

  private BuildHash hash(StatCaches caches) {
    FileDigester.Opener counting =
        file -> {
          reads.add(context.relativize(file).toString());
          return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        };
    ContextScan scan = new ContextWalker().scan(context, DockerIgnore.none(), "Dockerfile");
    StatCache cache = caches.open(context);
    BuildHash hash =
        new BuildHasher(new FileDigester(2, counting)).hashDirectory(scan, inputs, cache);
    try {
      cache.save();
    } catch (IOException e) {
      throw new AssertionError("could not save the stat cache", e);
    }
    return hash;
  }

  private BuildHash uncached() {
    return new BuildHasher()
        .hashDirectory(
            context, new ContextWalker().walk(context, DockerIgnore.none(), "Dockerfile"), inputs);
  }

  private void write(String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
