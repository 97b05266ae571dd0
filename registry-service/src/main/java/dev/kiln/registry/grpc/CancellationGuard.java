package dev.kiln.registry.grpc;

import io.grpc.Context;
import java.util.function.Supplier;

/**
 * Interrupts the thread handling a call when the caller cancels it or its deadline passes, so a
 * registry request blocked on a slow body or a backoff wait ends with the call instead of running
 * on for nobody. The interrupt is only ever delivered while {@code work} runs.
 */
final class CancellationGuard {

  private CancellationGuard() {}

  static <T> T run(Supplier<T> work) {
    Context context = Context.current();
    Thread worker = Thread.currentThread();
    Object lock = new Object();
    boolean[] running = {true}; // guarded by lock
    Context.CancellationListener listener =
        cancelled -> {
          synchronized (lock) {
            if (running[0]) {
              worker.interrupt();
            }
          }
        };
    context.addListener(listener, Runnable::run);
    try {
      return work.get();
    } finally {
      synchronized (lock) {
        running[0] = false;
      }
      context.removeListener(listener);
      // an interrupt that raced the end of the work must not leak into the next task
      Thread.interrupted();
    }
  }
}
