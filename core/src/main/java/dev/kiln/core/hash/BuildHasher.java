package dev.kiln.core.hash;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextArchive;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextEntry.Kind;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.ContextScan;
import dev.kiln.core.context.FileStat;
import dev.kiln.core.hash.cache.StatCache;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the Smart Builds hash of a build: the context tree as BuildKit receives it plus the
 * build inputs. A directory and the tar {@link dev.kiln.core.context.ContextPacker} packs from it
 * hash the same, so the hash-service can recompute a client's hash from its upload.
 */
public final class BuildHasher {

  private static final byte[] NO_CONTENT = new byte[0];

  private final FileDigester digester;

  /** Reads file contents on {@link FileDigester#defaultParallelism()} threads. */
  public BuildHasher() {
    this(FileDigester.defaultParallelism());
  }

  /**
   * @param parallelism how many threads read and digest file contents of a directory
   */
  public BuildHasher(int parallelism) {
    this(new FileDigester(parallelism, null));
  }

  BuildHasher(FileDigester digester) {
    this.digester = digester;
  }

  /** Hashes listed entries of a directory, reading every file's content from disk. */
  public BuildHash hashDirectory(Path contextDir, List<ContextEntry> entries, BuildInputs inputs) {
    return hashDirectory(contextDir, entries, null, inputs, StatCache.disabled());
  }

  /**
   * Hashes a walked directory, taking a file's digest from the cache when its stat from the walk
   * matches, reading it otherwise (and recording what was read). The caller saves the cache.
   *
   * @throws dev.kiln.core.InvalidInputException naming the file when one cannot be read, or changes
   *     while it is read
   */
  public BuildHash hashDirectory(ContextScan scan, BuildInputs inputs, StatCache cache) {
    return hashDirectory(scan.contextDir(), scan.entries(), scan.stats(), inputs, cache);
  }

  private BuildHash hashDirectory(
      Path contextDir,
      List<ContextEntry> entries,
      List<FileStat> stats,
      BuildInputs inputs,
      StatCache cache) {
    HashedEntry[] hashed = new HashedEntry[entries.size()];
    List<FileDigester.Job> jobs = new ArrayList<>();
    int[] jobEntry = new int[entries.size()];
    for (int i = 0; i < hashed.length; i++) {
      ContextEntry entry = entries.get(i);
      FileStat walked = stats == null ? null : stats.get(i);
      byte[] digest = knownDigest(entry, walked, cache);
      if (digest != null) {
        hashed[i] = new HashedEntry(entry, digest);
      } else {
        jobEntry[jobs.size()] = i;
        jobs.add(new FileDigester.Job(entry, walked));
      }
    }

    FileDigester.Result[] read = digester.digest(contextDir, jobs);
    for (int j = 0; j < read.length; j++) {
      ContextEntry entry = jobs.get(j).entry();
      hashed[jobEntry[j]] = new HashedEntry(entry, read[j].sha256());
      cache.record(entry.path(), read[j].stat(), read[j].sha256());
    }

    // a walk's entries are already the tree the hash wants; normalizing costs a map and a sort
    List<HashedEntry> tree = Arrays.asList(hashed);
    BuildHash hash = HashEncoder.encodeIfTree(tree, inputs);
    return hash != null ? hash : finish(tree, inputs);
  }

  /**
   * The digest of what an entry holds when it needs no file read: directories, symlinks, and files
   * whose walked stat the cache knows; null otherwise. A method of its own because a warm run calls
   * it for every entry: the JIT compiles it after a few hundred, while the loop that calls it would
   * run in the interpreter for tens of thousands of entries before being compiled in place.
   */
  private static byte[] knownDigest(ContextEntry entry, FileStat walked, StatCache cache) {
    return switch (entry.kind()) {
      case DIRECTORY -> NO_CONTENT;
      case SYMLINK -> sha256(entry.linkTarget());
      case FILE -> walked == null ? null : cache.lookup(entry.path(), walked);
    };
  }

  /** Hashes an uploaded context tar within the default limits. */
  public BuildHash hashArchive(InputStream tar, BuildInputs inputs) {
    return hashArchive(tar, inputs, ContextLimits.DEFAULT);
  }

  /**
   * Hashes a context tar in one pass, validating it on the way.
   *
   * @throws dev.kiln.core.context.InvalidContextException when the archive is refused
   */
  public BuildHash hashArchive(InputStream tar, BuildInputs inputs, ContextLimits limits) {
    List<HashedEntry> hashed = new ArrayList<>();
    Map<String, byte[]> fileDigests = new HashMap<>();
    ContextArchive.read(
        tar,
        limits,
        (entry, content) -> {
          byte[] digest =
              switch (entry.kind()) {
                case DIRECTORY -> NO_CONTENT;
                case SYMLINK -> sha256(entry.linkTarget());
                case FILE ->
                    entry.isHardLink() ? fileDigests.get(entry.linkTarget()) : sha256(content);
              };
          if (entry.kind() == Kind.FILE) {
            fileDigests.put(entry.path(), digest);
          }
          hashed.add(new HashedEntry(entry, digest));
        });
    return finish(hashed, inputs);
  }

  private static BuildHash finish(List<HashedEntry> hashed, BuildInputs inputs) {
    return encode(TreeNormalizer.normalize(hashed), inputs);
  }

  /** Encodes a normalized tree: sorted, no duplicates, every parent listed. */
  private static BuildHash encode(List<HashedEntry> tree, BuildInputs inputs) {
    String dockerfile = inputs.dockerfilePath();
    byte[] dockerfileDigest = null;
    for (HashedEntry entry : tree) {
      if (entry.entry().path().equals(dockerfile)) {
        if (entry.entry().kind() != Kind.FILE) {
          throw new InvalidInputException(
              "the Dockerfile "
                  + dockerfile
                  + " is a "
                  + entry.entry().kind().name().toLowerCase()
                  + " in the context, not a file; point dockerfile at a regular file",
              "dockerfile");
        }
        dockerfileDigest = entry.digest();
      }
    }
    if (dockerfileDigest == null) {
      throw new InvalidInputException(
          "the Dockerfile "
              + dockerfile
              + " is not in the context; check the dockerfile path (relative to the context)"
              + " and that the context holds it",
          "dockerfile");
    }
    return HashEncoder.encode(tree, dockerfileDigest, inputs);
  }

  private static byte[] sha256(String text) {
    return Digest.newSha256().digest(ContextNames.encode(text));
  }

  private static byte[] sha256(InputStream content) throws IOException {
    MessageDigest digest = Digest.newSha256();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = content.read(buffer)) >= 0) {
      digest.update(buffer, 0, n);
    }
    return digest.digest();
  }
}
