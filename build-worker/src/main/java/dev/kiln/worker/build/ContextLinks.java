package dev.kiln.worker.build;

import dev.kiln.core.image.Digest;
import dev.kiln.core.store.ContextUrls;
import java.time.Clock;
import java.time.Duration;

/**
 * Signed links to stored contexts, for BuildKit to download them from the gateway without a token
 * (docs/architecture.md, {@code GET /v1/contexts/{digest}}).
 */
public final class ContextLinks {
  private final String publicBaseUrl;
  private final byte[] secret;
  private final Duration validity;
  private final Clock clock;

  /**
   * @param publicBaseUrl the gateway's URL as BuildKit reaches it, e.g. http://127.0.0.1:8480
   * @param validity how long a link works; must cover the wait before BuildKit starts the download
   */
  public ContextLinks(String publicBaseUrl, byte[] secret, Duration validity, Clock clock) {
    this.publicBaseUrl = publicBaseUrl;
    this.secret = secret.clone();
    this.validity = validity;
    this.clock = clock;
  }

  public String forContext(Digest digest) {
    return ContextUrls.sign(publicBaseUrl, digest, clock.instant().plus(validity), secret);
  }
}
