package dev.kiln.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.context.ContextArchive;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.ContextPacker;
import dev.kiln.core.context.ContextScan;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.hash.cache.StatCache;
import dev.kiln.core.image.BuildHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names that are not UTF-8 are hashed, packed and read back as their bytes. The files are made
 * through file URIs, the JDK's own way to name raw bytes, not through kiln's code.
 */
class NonUtf8NamesTest {

  @TempDir Path context;

  private final BuildInputs inputs = BuildInputs.of("Dockerfile", "acme/kiln");

  @Test
  void namesThatDifferOnlyInBytesThatAreNotUtf8AreDistinctEntriesInByteOrder() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(raw("bad%FF"), "one");
    Files.writeString(raw("bad%FE"), "two");
    Files.writeString(context.resolve("badé"), "three");
    Files.createDirectories(raw("dir%80"));
    Files.writeString(raw("dir%80/in%C3"), "four");
    Files.createSymbolicLink(raw("link"), Path.of(URI.create("file:///tgt%FD/x")));

    List<ContextEntry> entries = walk();

    assertThat(entries)
        .extracting(e -> ContextNames.display(e.path()) + " " + e.kind())
        .containsExactly(
            "Dockerfile FILE",
            "badé FILE",
            "bad\\xfe FILE",
            "bad\\xff FILE",
            "dir\\x80 DIRECTORY",
            "dir\\x80/in\\xc3 FILE",
            "link SYMLINK");
    assertThat(ContextNames.encode(entries.get(3).path()))
        .isEqualTo(new byte[] {'b', 'a', 'd', (byte) 0xff});
    assertThat(ContextNames.display(entries.get(6).linkTarget())).isEqualTo("/tgt\\xfd/x");
  }

  @Test
  void renamingABadByteChangesTheHashAndTheContentIsRead() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(raw("a%FF"), "same");
    BuildHash before = hash();

    Files.move(raw("a%FF"), raw("a%FE"));
    BuildHash renamed = hash();
    Files.writeString(raw("a%FE"), "other");

    assertThat(renamed).isNotEqualTo(before);
    assertThat(hash()).isNotEqualTo(renamed);
  }

  /**
   * The archive carries the exact bytes (in the header, or a GNU long name past 99 bytes, never as
   * pax text), so the gateway's hash of the upload equals the CLI's hash of the directory.
   */
  @Test
  void packedArchiveReadsBackTheSameNamesAndHash() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(raw("bad%FF"), "one");
    Files.writeString(raw("long-" + "x".repeat(120) + "%FE"), "long");
    Files.writeString(context.resolve("\uFFFD-real"), "replacement character");
    Files.writeString(context.resolve("é-" + "y".repeat(120)), "pax name");
    Files.createSymbolicLink(raw("l%F0"), Path.of(URI.create("file:///t%F0" + "z".repeat(120))));
    ContextScan scan = new ContextWalker().scan(context, DockerIgnore.none(), "Dockerfile");
    BuildHash client = new BuildHasher().hashDirectory(scan, inputs, StatCache.disabled());

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    new ContextPacker().pack(context, scan.entries(), tar);

    assertThat(ContextArchive.validate(new ByteArrayInputStream(tar.toByteArray()), limits()))
        .containsExactlyElementsOf(scan.entries());
    assertThat(new BuildHasher().hashArchive(new ByteArrayInputStream(tar.toByteArray()), inputs))
        .isEqualTo(client);
    String text = new String(tar.toByteArray(), StandardCharsets.ISO_8859_1);
    assertThat(text).contains("bad\u00ff").doesNotContain("path=bad");
  }

  /**
   * BuildKit enters an excluded directory only when a '!' pattern's text starts with the
   * directory's bytes, and a byte that is not UTF-8 reaches it as U+FFFD in the pattern: so it
   * never enters such a directory, and nothing below it is re-included (the differential test found
   * this case).
   */
  @Test
  void aReincludeBelowAnExcludedDirectoryWithSuchAByteDoesNotReachIt() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.createDirectories(raw("top/d%FF"));
    Files.writeString(raw("top/d%FF/f"), "x");
    Files.write(
        context.resolve(".dockerignore"),
        new byte[] {
          't', 'o', 'p', '\n', '!', 't', 'o', 'p', '/', 'd', (byte) 0xff, '/', '*', '\n'
        });

    List<ContextEntry> entries =
        new ContextWalker()
            .walk(context, DockerIgnore.forDockerfile(context, "Dockerfile"), "Dockerfile");

    assertThat(entries)
        .extracting(ContextEntry::path)
        .containsExactly(".dockerignore", "Dockerfile");
  }

  @Test
  void theHashEncodesTheNameBytes() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(raw("n%FF"), "");
    List<ContextEntry> entries = walk();

    byte[] name = ContextNames.encode(entries.get(1).path());

    assertThat(HexFormat.of().formatHex(name)).isEqualTo("6eff");
  }

  private Path raw(String escapedRelative) {
    String base = context.toAbsolutePath().toUri().getRawPath();
    return Path.of(URI.create("file://" + base + escapedRelative));
  }

  private List<ContextEntry> walk() {
    return new ContextWalker().walk(context, DockerIgnore.none(), "Dockerfile");
  }

  private BuildHash hash() {
    ContextScan scan = new ContextWalker().scan(context, DockerIgnore.none(), "Dockerfile");
    return new BuildHasher().hashDirectory(scan, inputs, StatCache.disabled());
  }

  private static ContextLimits limits() {
    return ContextLimits.DEFAULT;
  }
}
