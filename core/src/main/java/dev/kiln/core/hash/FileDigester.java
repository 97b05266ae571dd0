package dev.kiln.core.hash;

import dev.kiln.core.KilnException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextReadErrors;
import dev.kiln.core.context.FileStat;
import dev.kiln.core.context.NodeNames;
import dev.kiln.core.image.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Digests the contents of a context's files on a few threads, each streaming files through one
 * reused buffer, and notices files that change while they are read: the {@code lstat} after reading
 * must equal the one from before (the walk's), else the file is read once more and must then hold
 * still.
 */
final class FileDigester {

  /** Large reads keep the syscall count down on big files; one buffer per thread. */
  static final int BUFFER_BYTES = 1 << 20;

  /** Below this many files per thread, starting threads costs more than it saves. */
  private static final int FILES_PER_THREAD = 64;

  /** Opens a file for reading without following a symlink; a seam for tests. */
  interface Opener {
    ReadableByteChannel open(Path file) throws IOException;
  }

  /** A file to digest: its entry and its stat from the walk, or null to take one just before. */
  record Job(ContextEntry entry, FileStat walked) {}

  /** A file's content digest and the stat it was read under. */
  record Result(byte[] sha256, FileStat stat) {}

  private final int parallelism;
  private final Opener opener;

  FileDigester(int parallelism, Opener opener) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
    this.opener =
        opener != null
            ? opener
            : file -> FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  /** Two threads keep one busy while the other waits on the disk; more only with more cores. */
  static int defaultParallelism() {
    return Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8);
  }

  /** Digests every job; the results are in job order. */
  Result[] digest(Path contextDir, List<Job> jobs) {
    Result[] results = new Result[jobs.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Runnable worker =
        () -> {
          Reader reader = new Reader(contextDir);
          int i;
          while (failure.get() == null && (i = next.getAndIncrement()) < results.length) {
            try {
              results[i] = reader.digest(jobs.get(i));
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
            }
          }
        };

    int threads = Math.min(parallelism, Math.max(1, jobs.size() / FILES_PER_THREAD));
    List<Thread> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      helpers.add(Thread.ofPlatform().daemon().name("kiln-hash-" + t).start(worker));
    }
    worker.run();
    try {
      for (Thread helper : helpers) {
        helper.join();
      }
    } catch (InterruptedException e) {
      failure.compareAndSet(
          null,
          new KilnException(
              "tried to hash the build context " + contextDir + " but was interrupted; run again",
              e));
      helpers.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return results;
  }

  /** One thread's buffer and digest, reused for every file it reads. */
  private final class Reader {
    private final Path contextDir;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    private final MessageDigest sha256 = Digest.newSha256();

    Reader(Path contextDir) {
      this.contextDir = contextDir;
    }

    Result digest(Job job) {
      ContextEntry entry = job.entry();
      Path file = NodeNames.resolve(contextDir, entry.path());
      FileStat before = job.walked() != null ? job.walked() : stat(file, entry.path());
      for (int attempt = 0; ; attempt++) {
        long bytes;
        try (ReadableByteChannel channel = opener.open(file)) {
          bytes = read(channel);
        } catch (IOException e) {
          throw ContextReadErrors.of("hash", contextDir, entry.path(), e);
        }
        byte[] digest = sha256.digest();
        FileStat after = stat(file, entry.path());
        if (after.equals(before) && bytes == after.sizeBytes()) {
          if (!after.isRegularFile() || after.ownerExecutable() != entry.executable()) {
            throw ContextReadErrors.changed(
                "hash",
                contextDir,
                entry.path(),
                "it changed its type or mode since it was listed",
                null);
          }
          return new Result(digest, after);
        }
        if (attempt == 1) {
          throw ContextReadErrors.changed(
              "hash",
              contextDir,
              entry.path(),
              "it changed while kiln read it, twice in a row",
              null);
        }
        before = after;
      }
    }

    private long read(ReadableByteChannel channel) throws IOException {
      sha256.reset();
      long total = 0;
      int n;
      while ((n = channel.read(wrapped.clear())) >= 0) {
        sha256.update(buffer, 0, n);
        total += n;
      }
      return total;
    }

    private FileStat stat(Path file, String path) {
      try {
        return FileStat.read(file);
      } catch (IOException e) {
        throw ContextReadErrors.of("hash", contextDir, path, e);
      }
    }
  }
}
