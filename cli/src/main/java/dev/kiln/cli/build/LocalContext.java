package dev.kiln.cli.build;

import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextPacker;
import dev.kiln.core.context.ContextScan;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.context.PackResult;
import dev.kiln.core.hash.BuildHasher;
import dev.kiln.core.hash.BuildInputs;
import dev.kiln.core.hash.cache.StatCache;
import dev.kiln.core.hash.cache.StatCaches;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * A build context on this machine: its entries after {@code .dockerignore}, the build inputs and
 * the build hash computed from them, and packing on demand.
 */
public final class LocalContext {
  private final Path contextDir;
  private final List<ContextEntry> entries;
  private final BuildInputs inputs;
  private final BuildHash hash;

  private LocalContext(
      Path contextDir, List<ContextEntry> entries, BuildInputs inputs, BuildHash hash) {
    this.contextDir = contextDir;
    this.entries = entries;
    this.inputs = inputs;
    this.hash = hash;
  }

  /**
   * Walks the context and computes the build hash.
   *
   * @param dockerfile the Dockerfile's path inside the context
   * @param secrets secret files by id; only the sha256 of their bytes goes into the hash
   * @param cacheScope {@code "<org>/<cache namespace>"}
   * @param statCaches where file digests of earlier runs are kept, so unchanged files are not read
   */
  public static LocalContext prepare(
      Path contextDir,
      String dockerfile,
      String target,
      SortedMap<String, String> args,
      SortedSet<String> platforms,
      Map<String, Path> secrets,
      String cacheScope,
      StatCaches statCaches) {
    // opened first, so the run's start (which the racy-file rule compares with) precedes the walk
    StatCache cache = statCaches.open(contextDir);
    DockerIgnore ignore = DockerIgnore.forDockerfile(contextDir, dockerfile);
    ContextScan scan = new ContextWalker().scan(contextDir, ignore, dockerfile);
    SortedMap<String, String> secretDigests = new TreeMap<>();
    secrets.forEach((id, file) -> secretDigests.put(id, sha256Hex(file)));
    BuildInputs inputs =
        new BuildInputs(dockerfile, target, args, platforms, secretDigests, cacheScope);
    BuildHash hash = new BuildHasher().hashDirectory(scan, inputs, cache);
    try {
      cache.save();
    } catch (IOException e) {
      // the cache only saves time: the hash is right without it, so a full disk or a read-only
      // cache directory must not fail the build
    }
    return new LocalContext(contextDir, scan.entries(), inputs, hash);
  }

  public List<ContextEntry> entries() {
    return entries;
  }

  public BuildInputs inputs() {
    return inputs;
  }

  public BuildHash hash() {
    return hash;
  }

  /** Packs the context into a new file under {@code tempDir}; the caller closes the result. */
  public PackedContext pack(Path tempDir) {
    Path file;
    try {
      file = Files.createTempFile(tempDir, "kiln-context-", ".tar");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tried to create a temporary file in "
              + tempDir
              + " for the build context but failed;"
              + " check that the folder exists and is writable (set TMPDIR or java.io.tmpdir)",
          e);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      PackResult result = new ContextPacker().pack(contextDir, entries, out);
      return new PackedContext(file, result.tarDigest(), result.sizeBytes(), result.entryCount());
    } catch (IOException e) {
      deleteQuietly(file);
      throw new UncheckedIOException(
          "tried to pack the build context " + contextDir + " into " + file + " but failed", e);
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  private static String sha256Hex(Path file) {
    try {
      return Digest.sha256(Files.readAllBytes(file)).hex();
    } catch (IOException e) {
      throw new UncheckedIOException("tried to read the secret file " + file + " but failed", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the original failure is what the user needs to see
    }
  }
}
