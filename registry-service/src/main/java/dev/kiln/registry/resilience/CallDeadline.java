package dev.kiln.registry.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * The time the current call has left: the gRPC caller's deadline in the service, nothing in tools.
 * Registry requests and retries never outlive it.
 */
@FunctionalInterface
public interface CallDeadline {

  /** Time left, possibly zero or negative once passed; empty when the call has no deadline. */
  Optional<Duration> remaining();

  static CallDeadline none() {
    return Optional::empty;
  }

  /** {@code timeout}, shortened to the time left when that is less. */
  default Duration cap(Duration timeout) {
    return remaining().filter(left -> left.compareTo(timeout) < 0).orElse(timeout);
  }
}
