package dev.kiln.core.image;

import dev.kiln.core.InvalidInputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest as the OCI image spec writes it, {@code <algorithm>:<hex>}. Only {@code sha256}
 * and {@code sha512} are accepted, with lowercase hex of exactly the algorithm's length, so two
 * equal contents always have equal {@code Digest} values.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI
 *     digests</a>
 */
public record Digest(String algorithm, String hex) {

  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";

  public Digest {
    int expectedLength = hexLength(algorithm);
    if (hex == null || hex.length() != expectedLength || !isLowerHex(hex)) {
      throw new InvalidInputException(
          "the "
              + algorithm
              + " digest hex '"
              + hex
              + "' is invalid; use exactly "
              + expectedLength
              + " lowercase hex characters");
    }
  }

  /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
  public static Digest parse(String text) {
    if (text == null) {
      throw new InvalidInputException("the digest is missing; write it as sha256:<64 hex>");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new InvalidInputException(
          "the digest '" + text + "' has no algorithm; write it as sha256:<64 hex>");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The sha256 digest of the given bytes. */
  public static Digest sha256(byte[] content) {
    return ofSha256(newSha256().digest(content));
  }

  /** Wraps the 32 raw bytes a sha256 {@link MessageDigest} produced. */
  public static Digest ofSha256(byte[] rawDigest) {
    return new Digest(SHA256, HexFormat.of().formatHex(rawDigest));
  }

  /** A fresh sha256 {@link MessageDigest}; every JDK has one. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  private static int hexLength(String algorithm) {
    if (SHA256.equals(algorithm)) {
      return 64;
    }
    if (SHA512.equals(algorithm)) {
      return 128;
    }
    throw new InvalidInputException(
        "the digest algorithm '" + algorithm + "' is not supported; use sha256 or sha512");
  }

  static boolean isLowerHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
