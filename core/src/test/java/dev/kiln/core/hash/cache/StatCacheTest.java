package dev.kiln.core.hash.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.context.FileStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatCacheTest {

  private static final Instant RUN = Instant.parse("2030-01-01T00:00:00Z");
  private static final FileStat OLD_STAT =
      new FileStat(5, nanos("2029-12-31T00:00:00Z"), nanos("2029-12-31T00:00:00Z"), 42, 0100644);
  private static final byte[] DIGEST = new byte[32];

  @TempDir Path cacheDir;
  @TempDir Path context;

  static {
    Arrays.fill(DIGEST, (byte) 7);
  }

  @Test
  void remembersADigestAcrossRunsForTheSameStat() throws IOException {
    StatCache first = open(RUN);
    first.record("a.txt", OLD_STAT, DIGEST);
    first.save();

    StatCache second = open(RUN.plusSeconds(60));

    assertThat(second.lookup("a.txt", OLD_STAT)).isEqualTo(DIGEST);
    assertThat(second.lookup("b.txt", OLD_STAT)).isNull();
    assertThat(second.lookup("a.txt", withInode(OLD_STAT, 43))).isNull();
  }

  @Test
  void doesNotStoreADigestWhoseFileChangedWithinTheRacyMargin() throws IOException {
    long justBeforeTheRun = nanos(RUN.minus(StatCache.RACY_MARGIN).plusMillis(1).toString());
    FileStat racyMtime = new FileStat(5, justBeforeTheRun, OLD_STAT.ctimeNanos(), 42, 0100644);
    FileStat racyCtime = new FileStat(5, OLD_STAT.mtimeNanos(), justBeforeTheRun, 42, 0100644);
    StatCache first = open(RUN);
    first.record("m", racyMtime, DIGEST);
    first.record("c", racyCtime, DIGEST);
    first.save();

    StatCache second = open(RUN.plusSeconds(3600));

    assertThat(second.lookup("m", racyMtime)).isNull();
    assertThat(second.lookup("c", racyCtime)).isNull();
  }

  @Test
  void findsEntriesInAnyOrderWhateverTheirBytes() throws IOException {
    // byte order puts "a-b" before "a/x", ASCII before "é", and "é" before the emoji
    List<String> paths = List.of("a", "a-b", "a/x", "z", "é", "é/ü", "\uD83D\uDE00", "\uFFFD");
    StatCache first = open(RUN);
    for (String path : paths.reversed()) {
      first.record(path, OLD_STAT, digestFor(path));
    }
    first.save();

    StatCache second = open(RUN.plusSeconds(60));

    for (String path : List.of("é/ü", "a", "\uFFFD", "a/x", "z", "\uD83D\uDE00", "a-b", "é")) {
      assertThat(second.lookup(path, OLD_STAT)).as(path).isEqualTo(digestFor(path));
    }
    assertThat(second.lookup("a/", OLD_STAT)).isNull();
    assertThat(second.lookup("é/", OLD_STAT)).isNull();
  }

  @Test
  void forgetsAPathWhoseNewReadIsTooRecentToTrust() throws IOException {
    StatCache first = open(RUN);
    first.record("a.txt", OLD_STAT, DIGEST);
    first.save();
    FileStat justNow =
        new FileStat(
            6,
            nanos(RUN.plusSeconds(59).toString()),
            nanos(RUN.plusSeconds(59).toString()),
            42,
            0100644);

    StatCache second = open(RUN.plusSeconds(60));
    second.record("a.txt", justNow, DIGEST);
    second.save();

    StatCache third = open(RUN.plusSeconds(120));
    assertThat(third.lookup("a.txt", OLD_STAT)).isNull();
    assertThat(third.lookup("a.txt", justNow)).isNull();
  }

  static Stream<Arguments> damages() {
    return Stream.of(
        Arguments.of("empty", (UnaryOperator<byte[]>) b -> new byte[0]),
        Arguments.of("truncated", (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length - 9)),
        Arguments.of("a flipped bit", (UnaryOperator<byte[]>) b -> flip(b, b.length / 2)),
        Arguments.of("garbage", (UnaryOperator<byte[]>) b -> "not a cache".getBytes()),
        Arguments.of("another version", (UnaryOperator<byte[]>) b -> withVersion(b, 99)),
        Arguments.of("trailing bytes", (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length + 3)),
        Arguments.of("another context", (UnaryOperator<byte[]>) StatCacheTest::ofAnotherContext),
        Arguments.of("entries out of order", (UnaryOperator<byte[]>) StatCacheTest::unsorted));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damages")
  void ignoresADamagedOrForeignFileAndReplacesIt(String name, UnaryOperator<byte[]> damage)
      throws IOException {
    StatCache first = open(RUN);
    first.record("a.txt", OLD_STAT, DIGEST);
    first.record("b.txt", OLD_STAT, DIGEST);
    first.save();
    Path file = onlyFile();
    Files.write(file, damage.apply(Files.readAllBytes(file)));

    StatCache damaged = open(RUN.plusSeconds(60));
    assertThat(damaged.lookup("a.txt", OLD_STAT)).isNull();
    damaged.record("a.txt", OLD_STAT, DIGEST);
    damaged.save();

    assertThat(open(RUN.plusSeconds(120)).lookup("a.txt", OLD_STAT)).isEqualTo(DIGEST);
  }

  @Test
  void waitsForTheLoadWhenInterruptedAndKeepsTheInterrupt() throws IOException {
    StatCache first = open(RUN);
    first.record("a.txt", OLD_STAT, DIGEST);
    first.save();

    Thread.currentThread().interrupt();
    byte[] digest;
    try {
      digest = open(RUN.plusSeconds(60)).lookup("a.txt", OLD_STAT);
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }

    assertThat(digest).isEqualTo(DIGEST);
  }

  @Test
  void savesByRenameLeavingNoTemporaryFiles() throws IOException {
    for (int run = 0; run < 3; run++) {
      StatCache cache = open(RUN.plusSeconds(run));
      cache.record("f" + run, OLD_STAT, DIGEST);
      cache.save();
    }

    try (Stream<Path> files = Files.list(cacheDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .singleElement()
          .matches(n -> n.matches("[0-9a-f]{64}"));
    }
  }

  @Test
  void forgetsPathsNoWalkHasSeenForManySaves() throws IOException {
    StatCache first = open(RUN);
    first.record("gone.txt", OLD_STAT, DIGEST);
    first.record("kept.txt", OLD_STAT, DIGEST);
    first.save();
    for (int run = 1; run <= StatCache.KEEP_GENERATIONS + 1; run++) {
      StatCache cache = open(RUN.plusSeconds(run));
      assertThat(cache.lookup("kept.txt", OLD_STAT)).isEqualTo(DIGEST);
      cache.record("other.txt", OLD_STAT, DIGEST);
      cache.save();
    }

    StatCache last = open(RUN.plusSeconds(3600));

    assertThat(last.lookup("gone.txt", OLD_STAT)).isNull();
    assertThat(last.lookup("kept.txt", OLD_STAT)).isEqualTo(DIGEST);
  }

  @Test
  void keysTheFileByTheContextsRealPath() throws IOException {
    Path alias = cacheDir.resolveSibling(cacheDir.getFileName() + "-alias");
    Files.createSymbolicLink(alias, context);
    try {
      StatCache viaContext = open(RUN);
      viaContext.record("a.txt", OLD_STAT, DIGEST);
      viaContext.save();

      StatCache viaAlias = StatCaches.in(cacheDir, fixed(RUN.plusSeconds(1))).open(alias);

      assertThat(viaAlias.lookup("a.txt", OLD_STAT)).isEqualTo(DIGEST);
    } finally {
      Files.delete(alias);
    }
  }

  @Test
  void followsTheXdgBaseDirectorySpec() throws IOException {
    Path home = context;
    Path xdg = cacheDir.resolve("xdg");
    List<Map<String, String>> envs =
        List.of(
            Map.of("XDG_CACHE_HOME", xdg.toString()),
            Map.of("XDG_CACHE_HOME", "relative"),
            Map.of());
    List<Path> expected =
        List.of(
            xdg.resolve("kiln/stat"),
            home.resolve(".cache/kiln/stat"),
            home.resolve(".cache/kiln/stat"));
    Path project = Files.createDirectories(cacheDir.resolve("project"));

    for (int i = 0; i < envs.size(); i++) {
      StatCache cache = StatCaches.forUser(envs.get(i), home, fixed(RUN)).open(project);
      cache.record("a.txt", OLD_STAT, DIGEST);
      cache.save();
      try (Stream<Path> files = Files.list(expected.get(i))) {
        assertThat(files).hasSize(1);
      }
    }
  }

  private StatCache open(Instant runStart) {
    return StatCaches.in(cacheDir, fixed(runStart)).open(context);
  }

  private Path onlyFile() throws IOException {
    try (Stream<Path> files = Files.list(cacheDir)) {
      return files.findFirst().orElseThrow();
    }
  }

  private static Clock fixed(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  private static byte[] digestFor(String path) {
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) path.hashCode());
    return digest;
  }

  private static FileStat withInode(FileStat stat, long inode) {
    return new FileStat(stat.sizeBytes(), stat.mtimeNanos(), stat.ctimeNanos(), inode, stat.mode());
  }

  private static long nanos(String instant) {
    Instant parsed = Instant.parse(instant);
    return parsed.getEpochSecond() * 1_000_000_000L + parsed.getNano();
  }

  private static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x10;
    return copy;
  }

  /** The same entries under another context path (same length), with a valid checksum. */
  private static byte[] ofAnotherContext(byte[] bytes) {
    byte[] copy = bytes.clone();
    int contextStart = 8 + 4 + 4 + 4;
    copy[contextStart + 1] ^= 0x01;
    return withChecksum(copy);
  }

  /** The two entries "a.txt" and "b.txt" swapped by name, with a valid checksum. */
  private static byte[] unsorted(byte[] bytes) {
    byte[] copy = bytes.clone();
    int first = indexOf(copy, "a.txt".getBytes());
    int second = indexOf(copy, "b.txt".getBytes());
    copy[first] = 'b';
    copy[second] = 'a';
    return withChecksum(copy);
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("no " + new String(part) + " in the cache file");
  }

  private static byte[] withChecksum(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  /** Another version with a valid checksum: refused by version, not by damage. */
  private static byte[] withVersion(byte[] bytes, int version) {
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).putInt(8, version);
    return withChecksum(copy);
  }
}
