package dev.kiln.gateway.completion;

import dev.kiln.gateway.build.BuildRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a completion back until the build's progress updates are stored. Progress and completions
 * travel on different topics through different consumers, so a completion can overtake the last log
 * lines of its build; recording the final state first would end every event stream before them. The
 * wait is bounded: progress that never comes (a lost record, a stopped consumer) delays a
 * completion by at most {@code maxWait}.
 */
public final class ProgressBarrier {
  private static final Logger log = LoggerFactory.getLogger(ProgressBarrier.class);
  private static final Duration POLL = Duration.ofMillis(50);

  private final BuildRepository builds;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration maxWait;

  public ProgressBarrier(BuildRepository builds, Clock clock, Sleeper sleeper, Duration maxWait) {
    this.builds = builds;
    this.clock = clock;
    this.sleeper = sleeper;
    this.maxWait = maxWait;
  }

  /** Waits until progress update {@code count} of build {@code id} was handled, or gives up. */
  public void await(UUID id, long count) {
    if (count <= 0) {
      return;
    }
    Instant deadline = clock.instant().plus(maxWait);
    while (builds.progressSeq(id) < count) {
      if (!clock.instant().isBefore(deadline)) {
        log.warn(
            "build {}: recording its completion without progress updates up to {} after {}",
            id,
            count,
            maxWait);
        return;
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
