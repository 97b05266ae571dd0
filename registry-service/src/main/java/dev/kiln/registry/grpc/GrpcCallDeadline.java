package dev.kiln.registry.grpc;

import dev.kiln.registry.resilience.CallDeadline;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC caller's deadline as a {@link CallDeadline}. Registry requests run on the thread that
 * handles the call, where {@link Context#current()} is the call's context.
 */
public final class GrpcCallDeadline implements CallDeadline {

  @Override
  public Optional<Duration> remaining() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }
}
