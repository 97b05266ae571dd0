package dev.kiln.registry.testing;

import dev.kiln.registry.resilience.Sleeper;
import dev.kiln.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the waits asked for and advances a fake clock by them instead of sleeping. */
public final class RecordingSleeper implements Sleeper {

  private final MutableClock clock;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  public RecordingSleeper(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration) {
    waits.add(duration);
    clock.advance(duration);
  }

  public List<Duration> waits() {
    return new ArrayList<>(waits);
  }
}
