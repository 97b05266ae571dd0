package dev.kiln.gateway.completion;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries retryable retag failures with exponential backoff, then gives up with the last one. */
public final class RetryingRetagger {
  private static final Logger log = LoggerFactory.getLogger(RetryingRetagger.class);

  private final Retagger retagger;
  private final Sleeper sleeper;
  private final int attempts;
  private final Duration firstBackoff;

  public RetryingRetagger(Retagger retagger, Sleeper sleeper, int attempts, Duration firstBackoff) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    this.retagger = retagger;
    this.sleeper = sleeper;
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
  }

  public String retag(String source, String target, String expectedDigest) {
    Duration backoff = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      try {
        return retagger.retag(source, target, expectedDigest);
      } catch (RetagException e) {
        if (!e.retryable() || attempt >= attempts) {
          throw e;
        }
        log.debug("retag {} -> {} attempt {} failed: {}", source, target, attempt, e.getMessage());
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoff = backoff.multipliedBy(2);
      }
    }
  }
}
