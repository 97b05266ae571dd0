package dev.kiln.cli.build;

import dev.kiln.core.image.Digest;

/**
 * An image that finished successfully.
 *
 * @param imageRef the namespace tag, e.g. 127.0.0.1:5100/cindy/api:kiln
 * @param cacheRef the cache image, e.g. 127.0.0.1:5100/kiln/api:<hash>
 * @param digest the manifest digest both point at
 * @param skipped whether Smart Builds skipped the build
 */
public record BuiltImage(
    String name, String imageRef, String cacheRef, Digest digest, boolean skipped) {}
