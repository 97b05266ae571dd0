package dev.kiln.core.store;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.KilnException;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;

/**
 * Stores archives as {@code <root>/sha256/<hex>}. An upload goes to a temporary file under {@code
 * <root>/tmp} and is hard-linked into place once its digest matched, so readers never see a partial
 * archive and concurrent uploads of the same digest both succeed (one of them creates it).
 */
public final class DirectoryContextStore implements ContextStore {

  private final Path root;

  public DirectoryContextStore(Path root) {
    this.root = root;
  }

  @Override
  public boolean exists(Digest digest) {
    return Files.isRegularFile(pathOf(digest));
  }

  @Override
  public long sizeBytes(Digest digest) {
    try {
      return Files.size(pathOf(digest));
    } catch (NoSuchFileException e) {
      throw new ContextNotFoundException(digest);
    } catch (IOException e) {
      throw failed("read the size of", digest, e);
    }
  }

  @Override
  public InputStream open(Digest digest) {
    try {
      return Files.newInputStream(pathOf(digest));
    } catch (NoSuchFileException e) {
      throw new ContextNotFoundException(digest);
    } catch (IOException e) {
      throw failed("open", digest, e);
    }
  }

  @Override
  public StoreResult put(Digest expected, InputStream body, ContextLimits limits) {
    Path target = pathOf(expected);
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      Path tempDir = Files.createDirectories(root.resolve("tmp"));
      temp = Files.createTempFile(tempDir, expected.hex() + "-", ".part");
      MessageDigest sha256 = Digest.newSha256();
      long size = copy(body, temp, sha256, limits.maxBytes());
      Digest actual = Digest.ofSha256(sha256.digest());
      if (!actual.equals(expected)) {
        throw new InvalidInputException(
            "the uploaded context has the digest "
                + actual
                + ", not "
                + expected
                + " as announced; upload the archive unchanged and compute its sha256 again",
            "digest");
      }
      boolean created = publish(temp, target);
      return new StoreResult(expected, size, created);
    } catch (IOException e) {
      throw failed("store", expected, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  @Override
  public void delete(Digest digest) {
    try {
      Files.deleteIfExists(pathOf(digest));
    } catch (IOException e) {
      throw failed("delete", digest, e);
    }
  }

  private static long copy(InputStream body, Path temp, MessageDigest sha256, long maxBytes)
      throws IOException {
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(temp)) {
      int n;
      while ((n = body.read(buffer)) >= 0) {
        size += n;
        if (size > maxBytes) {
          throw new InvalidInputException(
              "the uploaded context is larger than the limit of "
                  + maxBytes
                  + " bytes; leave large files out with .dockerignore",
              "context");
        }
        sha256.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return size;
  }

  /** Makes the temp file visible under the target; false when the target already existed. */
  private static boolean publish(Path temp, Path target) throws IOException {
    try {
      Files.createLink(target, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      // no hard links here: a rename is still atomic, it just cannot tell who came first
      if (Files.exists(target)) {
        return false;
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    }
  }

  private Path pathOf(Digest digest) {
    if (!Digest.SHA256.equals(digest.algorithm())) {
      throw new InvalidInputException(
          "context archives are addressed by sha256, not "
              + digest.algorithm()
              + "; send the sha256 digest",
          "digest");
    }
    return root.resolve("sha256").resolve(digest.hex());
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // a leftover temp file wastes space but breaks nothing; the next cleanup removes it
    }
  }

  private KilnException failed(String action, Digest digest, IOException e) {
    return new KilnException(
        "tried to "
            + action
            + " the context archive "
            + digest
            + " in "
            + root
            + " but failed because "
            + e
            + "; check the directory's permissions and free space",
        e);
  }
}
