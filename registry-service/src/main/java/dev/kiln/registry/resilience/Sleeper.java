package dev.kiln.registry.resilience;

import java.time.Duration;

/** Waits between attempts; injected so retry tests advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  static Sleeper system() {
    return Thread::sleep;
  }
}
