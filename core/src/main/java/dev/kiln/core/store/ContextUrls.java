package dev.kiln.core.store;

import dev.kiln.core.image.Digest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed URLs that let BuildKit fetch one context archive without a token: {@code
 * <base>/v1/contexts/<digest>?expires=<epoch seconds>&sig=<hex HMAC-SHA256 of
 * "<digest>\n<expires>">}. A URL is valid until (not including) its expiry second.
 */
public final class ContextUrls {

  private ContextUrls() {}

  public static String sign(String publicBaseUrl, Digest digest, Instant expires, byte[] secret) {
    String base =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
    long expiresEpochSeconds = expires.getEpochSecond();
    return base
        + "/v1/contexts/"
        + digest
        + "?expires="
        + expiresEpochSeconds
        + "&sig="
        + HexFormat.of().formatHex(mac(digest, expiresEpochSeconds, secret));
  }

  /** True when the signature is the secret's for this digest and expiry and it has not expired. */
  public static boolean verify(
      Digest digest, long expiresEpochSeconds, String sigHex, byte[] secret, Clock clock) {
    if (sigHex == null || sigHex.length() != 64) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(sigHex);
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean signatureOk = MessageDigest.isEqual(mac(digest, expiresEpochSeconds, secret), given);
    return signatureOk && clock.instant().getEpochSecond() < expiresEpochSeconds;
  }

  private static byte[] mac(Digest digest, long expiresEpochSeconds, byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("the context URL secret is empty; set one");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal((digest + "\n" + expiresEpochSeconds).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("this JDK cannot compute HMAC-SHA256", e);
    }
  }
}
