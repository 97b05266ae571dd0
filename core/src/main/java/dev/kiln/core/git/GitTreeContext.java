package dev.kiln.core.git;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.KilnException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.ContextPacker;
import dev.kiln.core.context.ContextPaths;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.context.PackResult;
import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import dev.kiln.core.image.BuildHash;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A build context read from a commit's tree, without a checkout and without any git metadata in the
 * result: the entries, the packed archive and the build hash are exactly those of {@link
 * dev.kiln.core.context.ContextWalker} and {@link BuildHasher} over a checkout of the same commit
 * (git has no empty directories, so a checkout has none either). {@code .dockerignore} and {@code
 * <Dockerfile>.dockerignore} are read from the tree.
 *
 * <pre>{@code
 * GitTreeContext context = GitTreeContext.open(repository, commitId, "api", "Dockerfile");
 * BuildHash hash = context.hash(BuildInputs.of("Dockerfile", scope));
 * }</pre>
 */
public final class GitTreeContext {

  private static final int PIPE_BYTES = 256 * 1024;

  private final Repository repository;
  private final String where;
  private final List<ContextEntry> entries;
  private final Map<String, ObjectId> blobs;

  private GitTreeContext(
      Repository repository,
      String where,
      List<ContextEntry> entries,
      Map<String, ObjectId> blobs) {
    this.repository = repository;
    this.where = where;
    this.entries = entries;
    this.blobs = blobs;
  }

  /**
   * Lists the context {@code contextPath} ("" or "." for the root) of {@code commit}.
   *
   * @param dockerfilePath relative to the context, as in the manifest
   * @throws InvalidInputException when the context or the Dockerfile is not in the tree, or the
   *     tree holds what a context cannot (submodules, links above the root)
   * @throws KilnException when the repository cannot be read
   */
  public static GitTreeContext open(
      Repository repository, AnyObjectId commit, String contextPath, String dockerfilePath) {
    String dockerfile = ContextPaths.dockerfile(dockerfilePath);
    String context = cleanContextPath(contextPath);
    String where =
        "the git context '" + (context.isEmpty() ? "." : context) + "' of commit " + commit.name();
    try (ObjectReader reader = repository.newObjectReader();
        RevWalk revWalk = new RevWalk(reader)) {
      RevCommit revCommit = revWalk.parseCommit(commit);
      ObjectId tree = contextTree(reader, revCommit, context, where);
      DockerIgnore ignore =
          DockerIgnore.forDockerfile(path -> regularFile(reader, tree, path), dockerfile);
      GitTreeWalker.Listing listing =
          new GitTreeWalker(reader, ignore, where).walk(tree, dockerfile);
      return new GitTreeContext(repository, where, listing.entries(), listing.blobs());
    } catch (MissingObjectException e) {
      throw new InvalidInputException(
          "tried to read commit "
              + commit.name()
              + " but the repository does not hold it ("
              + e
              + "); fetch it first",
          "commit");
    } catch (IOException e) {
      throw new KilnException(
          "tried to read "
              + where
              + " from "
              + repository
              + " but failed because "
              + e
              + "; check that the repository is readable",
          e);
    }
  }

  /** The context entries, sorted by path bytes, as the build hash and the archive hold them. */
  public List<ContextEntry> entries() {
    return entries;
  }

  /** Writes the context archive, byte for byte what the packer writes for a checkout. */
  public PackResult pack(OutputStream out) {
    try (ObjectReader reader = repository.newObjectReader()) {
      return new ContextPacker()
          .pack(
              entries,
              file -> reader.open(blobs.get(file.path()), Constants.OBJ_BLOB).openStream(),
              where,
              out);
    }
  }

  /**
   * The build hash of this context. It goes through the same archive reader the hash-service uses,
   * so a git context and a checkout of it can never hash differently.
   */
  public BuildHash hash(BuildInputs inputs) {
    AtomicReference<RuntimeException> packFailure = new AtomicReference<>();
    try (PipedInputStream in = new PipedInputStream(PIPE_BYTES)) {
      PipedOutputStream out = new PipedOutputStream(in);
      Thread packer =
          Thread.ofVirtual()
              .name("kiln-git-pack")
              .start(
                  () -> {
                    try (out) {
                      pack(out);
                    } catch (RuntimeException e) {
                      packFailure.set(e);
                    } catch (IOException e) {
                      packFailure.set(new UncheckedIOException(e));
                    }
                  });
      BuildHash hash = null;
      RuntimeException hashFailure = null;
      try {
        hash = new BuildHasher().hashArchive(in, inputs);
      } catch (RuntimeException e) {
        hashFailure = e;
      }
      in.close(); // a packer still blocked on the pipe fails now and ends
      join(packer);
      if (hash != null) {
        return hash; // the archive was whole, so the packer had written everything
      }
      throw packFailure.get() != null ? packFailure.get() : hashFailure;
    } catch (IOException e) {
      throw new UncheckedIOException("tried to hash " + where + " but the pipe failed", e);
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KilnException("interrupted while hashing a git context", e);
    }
  }

  private static ObjectId contextTree(
      ObjectReader reader, RevCommit commit, String context, String where) throws IOException {
    if (context.isEmpty()) {
      return commit.getTree();
    }
    try (TreeWalk walk = TreeWalk.forPath(reader, context, commit.getTree())) {
      if (walk == null || walk.getFileMode(0) != FileMode.TREE) {
        throw new InvalidInputException(
            where + " is not a directory of the commit; check the context path", "context");
      }
      return walk.getObjectId(0);
    }
  }

  private static Optional<String> regularFile(ObjectReader reader, ObjectId tree, String path) {
    try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
      if (walk == null
          || (walk.getFileMode(0) != FileMode.REGULAR_FILE
              && walk.getFileMode(0) != FileMode.EXECUTABLE_FILE)) {
        return Optional.empty();
      }
      byte[] bytes = reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getBytes();
      return Optional.of(ContextNames.decode(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("tried to read the ignore file " + path + " from git", e);
    }
  }

  /** "", ".", "./api/" and "api" name contexts; ".." and absolute paths are refused. */
  private static String cleanContextPath(String contextPath) {
    List<String> parts = new ArrayList<>();
    String text = contextPath == null ? "" : contextPath;
    if (text.startsWith("/")) {
      throw new InvalidInputException(
          "the context path '" + text + "' is absolute; give it relative to the repository root",
          "context");
    }
    for (String part : text.split("/")) {
      if (part.equals("..")) {
        throw new InvalidInputException(
            "the context path '" + text + "' contains '..'; name a directory of the repository",
            "context");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }
}
