package dev.kiln.gateway.context;

import dev.kiln.core.context.ContextArchive;
import dev.kiln.core.context.ContextLimits;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Passes an upload through to the context store while {@link ContextArchive#validate} reads a copy
 * of it in a virtual thread. End of stream is reported only after the archive validated, so the
 * store never commits a rejected archive: on rejection the reader gets an {@link
 * ArchiveRejectedException} instead of the end, and the store discards its partial file.
 */
final class ValidatingInputStream extends FilterInputStream {
  /** Chunks in flight to the validator; bounds the memory an upload holds to a few buffers. */
  private static final int QUEUE_CHUNKS = 16;

  private static final byte[] END = new byte[0];
  private static final byte[] ABORT = new byte[0];

  private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
  private final CompletableFuture<Void> verdict = new CompletableFuture<>();
  private boolean ended;

  ValidatingInputStream(InputStream in, ContextLimits limits) {
    super(in);
    Thread.ofVirtual()
        .name("context-validator")
        .start(
            () -> {
              try (InputStream copy = new QueueInputStream(chunks)) {
                ContextArchive.validate(copy, limits);
                verdict.complete(null);
              } catch (Throwable t) {
                verdict.completeExceptionally(t);
              }
            });
  }

  /**
   * The validator's error when it rejected the archive; null while it has not, and when it only
   * stopped because {@link #close()} aborted the upload.
   */
  RuntimeException rejection() {
    if (!verdict.isCompletedExceptionally()) {
      return null;
    }
    try {
      verdict.join();
      return null;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      for (Throwable c = cause; c != null; c = c.getCause()) {
        if (c instanceof UploadAbortedException) {
          return null;
        }
      }
      return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
  }

  /** Completes when the validator thread is done, for tests. */
  CompletableFuture<Void> verdict() {
    return verdict;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    failIfRejected();
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      feed(Arrays.copyOfRange(buffer, offset, offset + n));
    } else if (n < 0) {
      if (!ended) {
        ended = true;
        feed(END);
      }
      awaitVerdict();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must reach the validator too.
    byte[] buffer = new byte[(int) Math.min(n, 8192)];
    int read = read(buffer, 0, buffer.length);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() throws IOException {
    if (!verdict.isDone()) {
      // The store stopped early (digest mismatch, I/O error): release the validator.
      chunks.clear();
      chunks.offer(ABORT);
    }
    super.close();
  }

  private void feed(byte[] chunk) throws IOException {
    try {
      while (!verdict.isDone()) {
        if (chunks.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while validating an upload");
    }
    // The validator finished early: accepted (it read up to the end-of-archive marker and
    // ignores what follows) or rejected.
    failIfRejected();
  }

  private void awaitVerdict() throws IOException {
    try {
      verdict.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while validating an upload");
    } catch (ExecutionException e) {
      throw new ArchiveRejectedException(e.getCause());
    }
  }

  private void failIfRejected() throws IOException {
    RuntimeException rejection = rejection();
    if (rejection != null) {
      throw new ArchiveRejectedException(rejection);
    }
  }

  /** The validator's side: the chunks as a stream. */
  private static final class QueueInputStream extends InputStream {
    private final BlockingQueue<byte[]> chunks;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    QueueInputStream(BlockingQueue<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (position >= current.length) {
        if (ended) {
          return -1;
        }
        byte[] next;
        try {
          next = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading an upload");
        }
        if (next == ABORT) {
          throw new UploadAbortedException();
        }
        if (next == END) {
          ended = true;
          return -1;
        }
        current = next;
        position = 0;
      }
      int n = Math.min(length, current.length - position);
      System.arraycopy(current, position, buffer, offset, n);
      position += n;
      return n;
    }
  }

  /** The store stopped reading before the end; not a verdict on the archive. */
  private static final class UploadAbortedException extends IOException {
    private static final long serialVersionUID = 1L;

    UploadAbortedException() {
      super("the upload was aborted before its end");
    }
  }
}
