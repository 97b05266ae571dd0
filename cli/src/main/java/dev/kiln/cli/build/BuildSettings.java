package dev.kiln.cli.build;

import dev.kiln.cli.console.ProgressMode;
import java.time.Duration;

/**
 * What {@code kiln build} was asked to do, beyond which images.
 *
 * @param namespace the namespace to build in, or null for the token's
 * @param tag the namespace tag, or null for the gateway's default ("kiln")
 * @param smartBuilds false when KILN_SMART_BUILDS_ENABLED (or OKTETO_...) is "false"
 * @param idleTimeout how long the CLI waits for the next event before giving up
 */
public record BuildSettings(
    String namespace,
    String tag,
    boolean noCache,
    boolean smartBuilds,
    ProgressMode progress,
    Duration idleTimeout) {

  /** Whether to ask the gateway with the client hash only, uploading the context on a miss. */
  public boolean skipWithoutUpload() {
    return smartBuilds && !noCache;
  }
}
