package dev.kiln.core.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.ContextPacker;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A commit's tree must give exactly what a checkout of the commit gives: the same entries, the same
 * archive bytes and the same build hash, with no git metadata involved.
 */
class GitTreeContextTest {

  @TempDir Path work;
  @TempDir Path checkout;

  static Stream<Arguments> trees() {
    return Stream.of(
        Arguments.of(
            "exec bits, symlinks and nested directories",
            Map.of(
                "Dockerfile", "FROM scratch\n",
                "bin/run.sh", "x:#!/bin/sh\necho hi\n",
                "src/main/App.java", "class App {}\n",
                "src/main/deep/er/note.txt", "deep\n",
                "link-to-src", "l:src/main/App.java",
                "abs-link", "l:/etc/hosts",
                "dangling", "l:nowhere/at/all",
                "spaced name.txt", "a b\n",
                "ünïcode/ß.txt", "ß\n"),
            "",
            "Dockerfile"),
        Arguments.of(
            "ignore rules with re-includes below excluded directories",
            Map.of(
                "Dockerfile", "FROM scratch\n",
                ".dockerignore", "# only python\n*\n!**/*.py\n/secret\nDockerfile\n",
                "a.py", "a\n",
                "sub/b.py", "b\n",
                "sub/c.txt", "c\n",
                "node_modules/x/y.js", "y\n",
                "secret", "s\n"),
            "",
            "Dockerfile"),
        Arguments.of(
            "a per-Dockerfile ignore file wins over .dockerignore",
            Map.of(
                "Dockerfile.prod", "FROM scratch\n",
                "Dockerfile.prod.dockerignore", "secret.txt\n",
                ".dockerignore", "*.md\n",
                "secret.txt", "s\n",
                "README.md", "r\n"),
            "",
            "Dockerfile.prod"),
        Arguments.of(
            "a context below the repository root with an ignored Dockerfile elsewhere",
            Map.of(
                "api/docker/Dockerfile", "FROM scratch\n",
                "api/.dockerignore", "docker\n**/*.log\n",
                "api/src/a.go", "package a\n",
                "api/src/debug.log", "noise\n",
                "api/run.sh", "x:#!/bin/sh\n",
                "web/index.html", "<html>\n"),
            "./api/",
            "docker/Dockerfile"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trees")
  void aCommitHashesLikeItsCheckout(
      String name, Map<String, String> files, String contextPath, String dockerfile)
      throws Exception {
    RevCommit commit = commit(files);
    Path checkedOut = cloneWithoutGitDirectory().resolve(contextPath);

    try (Git git = Git.open(work.toFile())) {
      GitTreeContext context =
          GitTreeContext.open(git.getRepository(), commit, contextPath, dockerfile);
      List<ContextEntry> expected =
          new ContextWalker()
              .walk(checkedOut, DockerIgnore.forDockerfile(checkedOut, dockerfile), dockerfile);
      BuildInputs inputs = BuildInputs.of(dockerfile, "acme/kiln");

      assertThat(context.entries()).isEqualTo(expected);
      assertThat(context.hash(inputs))
          .isEqualTo(new BuildHasher().hashDirectory(checkedOut, expected, inputs));
      ByteArrayOutputStream fromGit = new ByteArrayOutputStream();
      ByteArrayOutputStream fromCheckout = new ByteArrayOutputStream();
      context.pack(fromGit);
      new ContextPacker().pack(checkedOut, expected, fromCheckout);
      assertThat(fromGit.toByteArray()).isEqualTo(fromCheckout.toByteArray());
    }
  }

  @Test
  void refusesAnIncludedSubmoduleAndAcceptsAnIgnoredOne() throws Exception {
    RevCommit commit = commit(Map.of("Dockerfile", "FROM scratch\n"));
    RevCommit withSubmodule = addSubmodule("vendor/lib", commit);

    try (Git git = Git.open(work.toFile())) {
      assertThatThrownBy(
              () -> GitTreeContext.open(git.getRepository(), withSubmodule, "", "Dockerfile"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("holds the submodule vendor/lib")
          .hasMessageContaining("add it to .dockerignore or vendor its files");
    }

    write(".dockerignore", "vendor/lib\n");
    try (Git git = Git.open(work.toFile())) {
      git.add().addFilepattern(".dockerignore").call();
      RevCommit ignored = git.commit().setMessage("ignore the submodule").call();

      assertThat(GitTreeContext.open(git.getRepository(), ignored, "", "Dockerfile").entries())
          .extracting(ContextEntry::path)
          .containsExactly(".dockerignore", "Dockerfile", "vendor");
    }
  }

  /** Git stores names as bytes; a name that is not UTF-8 hashes like the same name on disk. */
  @Test
  void keepsTheBytesOfNamesThatAreNotUtf8() throws Exception {
    RevCommit base = commit(Map.of("Dockerfile", "FROM scratch\n"));
    byte[] name = {'b', 'a', 'd', (byte) 0xff};
    try (Git git = Git.open(work.toFile())) {
      RevCommit commit = commitBlob(git, name, "raw\n");
      Files.writeString(checkout.resolve("Dockerfile"), "FROM scratch\n");
      Files.writeString(Path.of(URI.create(checkout.toUri() + "bad%FF")), "raw\n");
      List<ContextEntry> expected =
          new ContextWalker().walk(checkout, DockerIgnore.none(), "Dockerfile");
      BuildInputs inputs = BuildInputs.of("Dockerfile", "acme/kiln");

      GitTreeContext context = GitTreeContext.open(git.getRepository(), commit, "", "Dockerfile");

      assertThat(base).isNotEqualTo(commit);
      assertThat(context.entries()).isEqualTo(expected);
      assertThat(ContextNames.encode(context.entries().get(1).path())).isEqualTo(name);
      assertThat(context.hash(inputs))
          .isEqualTo(new BuildHasher().hashDirectory(checkout, expected, inputs));
    }
  }

  @Test
  void refusesSymlinksAboveTheContextRoot() throws Exception {
    RevCommit commit =
        commit(Map.of("Dockerfile", "FROM scratch\n", "api/escape", "l:../../etc/passwd"));

    try (Git git = Git.open(work.toFile())) {
      assertThatThrownBy(() -> GitTreeContext.open(git.getRepository(), commit, "", "Dockerfile"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("holds the symlink api/escape -> ../../etc/passwd");
    }
  }

  @Test
  void namesAMissingContextDirectoryDockerfileAndCommit() throws Exception {
    RevCommit commit = commit(Map.of("Dockerfile", "FROM scratch\n", "api/a", "a"));

    try (Git git = Git.open(work.toFile())) {
      assertThatThrownBy(() -> GitTreeContext.open(git.getRepository(), commit, "web", ""))
          .hasMessageContaining("the git context 'web' of commit " + commit.name())
          .hasMessageContaining("is not a directory of the commit");
      assertThatThrownBy(() -> GitTreeContext.open(git.getRepository(), commit, "api", ""))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("the Dockerfile Dockerfile is not in the git context 'api'");
      ObjectId unknown = ObjectId.fromString("0123456789012345678901234567890123456789");
      assertThatThrownBy(() -> GitTreeContext.open(git.getRepository(), unknown, "", ""))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("the repository does not hold it");
      assertThatThrownBy(() -> GitTreeContext.open(git.getRepository(), commit, "../x", ""))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("contains '..'");
    }
  }

  /**
   * Commits files into a fresh repository: "x:" marks an executable file, "l:" a symlink target.
   */
  private RevCommit commit(Map<String, String> files) throws Exception {
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        write(file.getKey(), file.getValue());
      }
      git.add().addFilepattern(".").call();
      return git.commit().setMessage("context").setSign(false).call();
    }
  }

  private void write(String path, String spec) throws IOException {
    Path file = work.resolve(path);
    Files.createDirectories(file.getParent());
    if (spec.startsWith("l:")) {
      Files.createSymbolicLink(file, Path.of(spec.substring(2)));
      return;
    }
    boolean executable = spec.startsWith("x:");
    Files.writeString(file, executable ? spec.substring(2) : spec);
    Files.setPosixFilePermissions(
        file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
  }

  /** Adds a file by its raw name bytes, which the work tree cannot spell through Java. */
  private static RevCommit commitBlob(Git git, byte[] name, String content) throws Exception {
    ObjectId blob;
    try (ObjectInserter inserter = git.getRepository().newObjectInserter()) {
      blob = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
      inserter.flush();
    }
    DirCache index = git.getRepository().lockDirCache();
    DirCacheEditor editor = index.editor();
    editor.add(
        new DirCacheEditor.PathEdit(new DirCacheEntry(name)) {
          @Override
          public void apply(DirCacheEntry entry) {
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
          }
        });
    editor.commit();
    return git.commit().setMessage("raw name").setSign(false).call();
  }

  private RevCommit addSubmodule(String path, RevCommit parent) throws Exception {
    try (Git git = Git.open(work.toFile())) {
      DirCache index = git.getRepository().lockDirCache();
      DirCacheEditor editor = index.editor();
      editor.add(
          new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
              entry.setFileMode(FileMode.GITLINK);
              entry.setObjectId(parent);
            }
          });
      editor.commit();
      return git.commit().setMessage("submodule").setSign(false).call();
    }
  }

  private Path cloneWithoutGitDirectory() throws Exception {
    try (Git clone =
        Git.cloneRepository()
            .setURI(work.toUri().toString())
            .setDirectory(checkout.toFile())
            .call()) {
      FileUtils.delete(checkout.resolve(".git").toFile(), FileUtils.RECURSIVE);
    }
    return checkout;
  }
}
