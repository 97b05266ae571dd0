package dev.kiln.registry.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit; a larger one fails with {@link TooLarge} instead
 * of filling the heap. Manifests and error bodies are small, so anything bigger is not a registry
 * answer kiln can use.
 */
final class LimitedBody implements BodySubscriber<byte[]> {

  /** The body passed the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(int limitBytes) {
      super("the body is larger than " + limitBytes + " bytes");
    }
  }

  private final int limitBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  private LimitedBody(int limitBytes) {
    this.limitBytes = limitBytes;
  }

  static BodyHandler<byte[]> handler(int limitBytes) {
    return info -> new LimitedBody(limitBytes);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if (bytes.size() + (long) buffer.remaining() > limitBytes) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limitBytes));
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable failure) {
    result.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }
}
