package dev.kiln.worker.build;

import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildRequested;

/**
 * The two facts of a request that decide between skip, build and asking for the context.
 *
 * @param skipAllowed Smart Builds is on and the user did not ask for --no-cache, so an existing
 *     cache tag may be reused (and only then is the registry asked)
 * @param canBuild the request carries a context and its hash was computed by the server from that
 *     context; a client-computed hash is for lookups only and never names a pushed cache tag
 */
public record BuildFacts(boolean skipAllowed, boolean canBuild) {

  public static BuildFacts of(BuildHashed event) {
    BuildRequested request = event.getRequest();
    boolean skipAllowed = request.getSmartBuilds() && !request.getParams().getNoCache();
    boolean canBuild = event.getVerified() && request.hasContext();
    return new BuildFacts(skipAllowed, canBuild);
  }

  /**
   * @param cacheHit whether the cache tag exists; ignored (and not looked up) when skipping is not
   *     allowed
   */
  public Decision decide(boolean cacheHit) {
    if (skipAllowed && cacheHit) {
      return Decision.SKIP;
    }
    return canBuild ? Decision.BUILD : Decision.NEEDS_CONTEXT;
  }
}
