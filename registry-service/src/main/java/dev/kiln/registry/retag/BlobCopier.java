package dev.kiln.registry.retag;

import dev.kiln.registry.oci.BlobClient;
import dev.kiln.registry.oci.Descriptor;
import dev.kiln.registry.oci.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes one blob of a source repository present in a target repository: nothing when it is already
 * there, a cross-repository mount on the same registry, or a download and upload when the registry
 * refuses the mount or the repositories live on different registries.
 */
final class BlobCopier {

  private final BlobClient blobs;

  BlobCopier(BlobClient blobs) {
    this.blobs = blobs;
  }

  void ensure(Repository source, Repository target, Descriptor blob) {
    if (blobs.exists(target, blob.digest())) {
      return;
    }
    URI session;
    if (source.registry().equals(target.registry())) {
      Optional<URI> refused = blobs.mount(target, blob.digest(), source);
      if (refused.isEmpty()) {
        return;
      }
      session = refused.get();
    } else {
      session = blobs.startUpload(target);
    }
    copy(source, target, blob, session);
  }

  private void copy(Repository source, Repository target, Descriptor blob, URI session) {
    Path file = null;
    try {
      // a file, not memory: layers can be gigabytes, and a file body can be sent again after an
      // authentication challenge
      file = Files.createTempFile("kiln-blob-", ".bin");
      blobs.download(source, blob.digest(), file);
      blobs.upload(session, target, blob.digest(), file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tried to copy blob "
              + blob.digest()
              + " from "
              + source
              + " to "
              + target
              + " but could not use a temporary file; check the free space of java.io.tmpdir",
          e);
    } finally {
      deleteQuietly(file);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      file.toFile().deleteOnExit();
    }
  }
}
