package dev.kiln.core.hash;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.KilnException;
import dev.kiln.core.context.ContextArchive;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextEntry.Kind;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
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

  /** Hashes listed entries of a directory, reading file contents from disk. */
  public BuildHash hashDirectory(Path contextDir, List<ContextEntry> entries, BuildInputs inputs) {
    List<HashedEntry> hashed = new ArrayList<>(entries.size());
    for (ContextEntry entry : entries) {
      byte[] digest =
          switch (entry.kind()) {
            case DIRECTORY -> NO_CONTENT;
            case SYMLINK -> sha256(entry.linkTarget());
            case FILE -> sha256(contextDir, entry.path());
          };
      hashed.add(new HashedEntry(entry, digest));
    }
    return finish(hashed, inputs);
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
    List<HashedEntry> tree = TreeNormalizer.normalize(hashed);
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
    return Digest.newSha256().digest(text.getBytes(StandardCharsets.UTF_8));
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

  private static byte[] sha256(Path contextDir, String path) {
    try (InputStream in =
        Files.newInputStream(contextDir.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
      return sha256(in);
    } catch (IOException e) {
      throw new KilnException(
          "tried to hash "
              + path
              + " in the build context "
              + contextDir
              + " but failed because "
              + e
              + "; check that it is readable",
          e);
    }
  }
}
