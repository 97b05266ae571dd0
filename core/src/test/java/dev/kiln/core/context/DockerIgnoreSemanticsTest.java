package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import dev.kiln.core.image.BuildHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code .dockerignore} rule of issue 3, one named test each, on real trees through the
 * walker and the hash (the pattern table of {@link DockerIgnoreTest} holds the fine print; the
 * differential test in kiln-e2e checks random trees against the real BuildKit).
 */
class DockerIgnoreSemanticsTest {

  @TempDir Path context;

  @BeforeEach
  void dockerfile() throws IOException {
    write("Dockerfile", "FROM scratch\n");
  }

  @Test
  void onlyAHashInTheFirstColumnStartsAComment() throws IOException {
    write("#x", "");
    write("#y", "");
    write(".dockerignore", "#x\n  #y\n");

    assertThat(listed()).contains("#x").doesNotContain("#y");
  }

  @Test
  void blankLinesAndSpaceOnlyLinesAreSkipped() throws IOException {
    write("a", "");
    write(".dockerignore", "\n   \n\t\na\n\n");

    assertThat(DockerIgnore.forDockerfile(context, "Dockerfile").patterns()).containsExactly("a");
    assertThat(listed()).doesNotContain("a");
  }

  @Test
  void surroundingSpacesAreTrimmed() throws IOException {
    write("spaced", "");
    write(".dockerignore", "   spaced  \t\n");

    assertThat(listed()).doesNotContain("spaced");
  }

  @Test
  void aLeadingSlashIsDroppedSoSlashFooSlashBarIsFooSlashBar() throws IOException {
    write("foo/bar", "1");
    write(".dockerignore", "/foo/bar\n");
    BuildHash rooted = hash();

    write(".dockerignore", "foo/bar\n");
    assertThat(hash()).isNotEqualTo(rooted); // the ignore file itself is in the context
    write(".dockerignore", "/foo/bar\n");
    write("foo/bar", "edited");
    assertThat(hash()).isEqualTo(rooted);
    assertThat(listed()).contains("foo").doesNotContain("foo/bar");
  }

  @Test
  void aTrailingSlashStillMatchesTheDirectoryAndAllBelowIt() throws IOException {
    write("build/out/a.o", "");
    write("buildx", "");
    write(".dockerignore", "build/\n");

    assertThat(listed()).doesNotContain("build", "build/out", "build/out/a.o").contains("buildx");
  }

  @Test
  void aStarStaysInsideOnePathComponent() throws IOException {
    write("a.log", "");
    write("logs/b.log", "");
    write(".dockerignore", "*.log\n");

    assertThat(listed()).doesNotContain("a.log").contains("logs/b.log");
  }

  @Test
  void aQuestionMarkMatchesOneCharacterOfOneComponent() throws IOException {
    write("a1", "");
    write("a12", "");
    write("a/1", "");
    write(".dockerignore", "a?\n");

    assertThat(listed()).doesNotContain("a1").contains("a12", "a/1");
  }

  @Test
  void aDoubleStarSpansAnyNumberOfComponents() throws IOException {
    write("x.tmp", "");
    write("a/b/c/y.tmp", "");
    write("docs/a/b/keep.md", "");
    write(".dockerignore", "**/*.tmp\ndocs/**/keep.md\n");

    assertThat(listed()).doesNotContain("x.tmp", "a/b/c/y.tmp", "docs/a/b/keep.md");
  }

  @Test
  void characterClassesAndNegatedClassesMatchOneCharacter() throws IOException {
    write("v1", "");
    write("v2", "");
    write("v9", "");
    write("wa", "");
    write("wb", "");
    write(".dockerignore", "v[1-2]\nw[^a]\n");

    assertThat(listed()).doesNotContain("v1", "v2", "wb").contains("v9", "wa");
  }

  @Test
  void anEscapedWildcardIsLiteral() throws IOException {
    write("*.txt", "");
    write("a.txt", "");
    write(".dockerignore", "\\*.txt\n");

    assertThat(listed()).doesNotContain("*.txt").contains("a.txt");
  }

  @Test
  void aNegationReincludesFilesBelowAnExcludedDirectory() throws IOException {
    write("vendor/a/keep.txt", "");
    write("vendor/a/drop.txt", "");
    write("vendor/b/drop.txt", "");
    write(".dockerignore", "vendor\n!vendor/a/keep.txt\n");

    assertThat(listed())
        .contains("vendor", "vendor/a", "vendor/a/keep.txt")
        .doesNotContain("vendor/a/drop.txt", "vendor/b", "vendor/b/drop.txt");
  }

  @Test
  void theLastMatchingPatternWins() throws IOException {
    write("README.md", "");
    write("NOTES.md", "");
    write(".dockerignore", "*.md\n!README.md\n!NOTES.md\nNOTES.md\n");

    assertThat(listed()).contains("README.md").doesNotContain("NOTES.md");
  }

  @Test
  void starThenNegatedPythonRebuildsOnPythonEditsOnly() throws IOException {
    write("sub/b.py", "print(1)\n");
    write("sub/c.txt", "c\n");
    write(".dockerignore", "*\n!**/*.py\n");
    BuildHash before = hash();

    write("sub/c.txt", "changed\n");
    assertThat(hash()).isEqualTo(before);
    write("sub/b.py", "print(2)\n");
    assertThat(hash()).isNotEqualTo(before);
  }

  @Test
  void theDockerfileIgnoreFileTakesPrecedenceOverDockerignore() throws IOException {
    write("Dockerfile.prod", "FROM scratch\n");
    write("Dockerfile.prod.dockerignore", "secret.txt\n");
    write(".dockerignore", "nothing-here\n");
    write("secret.txt", "v1\n");
    BuildHash prod = hash("Dockerfile.prod");
    BuildHash plain = hash("Dockerfile");

    write("secret.txt", "v2\n");

    assertThat(hash("Dockerfile.prod")).isEqualTo(prod);
    assertThat(hash("Dockerfile")).isNotEqualTo(plain);
  }

  @Test
  void anIgnoredDockerfileStillChangesTheHash() throws IOException {
    write(".dockerignore", "Dockerfile\n");
    BuildHash before = hash();
    assertThat(listed()).contains("Dockerfile");

    write("Dockerfile", "FROM scratch\nLABEL x=1\n");

    assertThat(hash()).isNotEqualTo(before);
  }

  @Test
  void anIgnoredDockerignoreIsLeftOutButItsRulesStillApply() throws IOException {
    write("a.txt", "a");
    write("b.txt", "b");
    write(".dockerignore", ".dockerignore\na.txt\n");
    BuildHash before = hash();
    assertThat(listed()).doesNotContain(".dockerignore", "a.txt").contains("b.txt");

    write(".dockerignore", ".dockerignore\na.txt\n# a comment changes nothing BuildKit sees\n");
    assertThat(hash()).isEqualTo(before);
    write(".dockerignore", ".dockerignore\n");
    assertThat(hash()).isNotEqualTo(before);
  }

  private List<String> listed() {
    return walk("Dockerfile").stream().map(ContextEntry::path).toList();
  }

  private List<ContextEntry> walk(String dockerfile) {
    return new ContextWalker()
        .walk(context, DockerIgnore.forDockerfile(context, dockerfile), dockerfile);
  }

  private BuildHash hash() {
    return hash("Dockerfile");
  }

  private BuildHash hash(String dockerfile) {
    return new BuildHasher()
        .hashDirectory(context, walk(dockerfile), BuildInputs.of(dockerfile, "acme/kiln"));
  }

  private void write(String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
