package dev.kiln.registry.oci;

import dev.kiln.core.image.Digest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashing for the digest algorithms the OCI spec registers (sha256, sha512). */
final class Digests {

  private Digests() {}

  static MessageDigest messageDigest(String algorithm) {
    String name =
        switch (algorithm) {
          case "sha256" -> "SHA-256";
          case "sha512" -> "SHA-512";
          default ->
              throw new RegistryProtocolException(
                  "tried to verify content with digest algorithm "
                      + algorithm
                      + " but only sha256 and sha512 are supported");
        };
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + name, e);
    }
  }

  static Digest of(String algorithm, byte[] bytes) {
    MessageDigest digest = messageDigest(algorithm);
    digest.update(bytes);
    return finish(algorithm, digest);
  }

  static Digest finish(String algorithm, MessageDigest digest) {
    return Digest.parse(algorithm + ":" + HexFormat.of().formatHex(digest.digest()));
  }
}
