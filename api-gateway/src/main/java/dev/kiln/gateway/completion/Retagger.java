package dev.kiln.gateway.completion;

/** Points a namespace tag at an existing manifest (the registry-service's {@code Retag}). */
public interface Retagger extends AutoCloseable {
  /**
   * Makes {@code target} point at the manifest of {@code source}.
   *
   * @param expectedDigest when not empty, the source must resolve to it
   * @return the digest the target points at now
   * @throws RetagException when the registry-service refused or could not be reached
   */
  String retag(String source, String target, String expectedDigest);

  @Override
  default void close() {}
}
