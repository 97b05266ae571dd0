package dev.kiln.core.image;

import dev.kiln.core.InvalidInputException;

/**
 * The Smart Builds hash of one build's canonical inputs: 64 lowercase hex characters. It is also
 * the tag of the image in the cache namespace, {@code <cache-ns>/<image>:<hash>}.
 */
public record BuildHash(String hex) {

  public BuildHash {
    if (hex == null || hex.length() != 64 || !Digest.isLowerHex(hex)) {
      throw new InvalidInputException(
          "the build hash '" + hex + "' is invalid; use exactly 64 lowercase hex characters");
    }
  }

  public static BuildHash parse(String text) {
    return new BuildHash(text);
  }

  @Override
  public String toString() {
    return hex;
  }
}
