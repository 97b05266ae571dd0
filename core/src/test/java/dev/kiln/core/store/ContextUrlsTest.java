package dev.kiln.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.image.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ContextUrlsTest {

  private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256("tar".getBytes(StandardCharsets.UTF_8));
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRES = NOW.plusSeconds(600);
  private static final Pattern URL =
      Pattern.compile("(.*)/v1/contexts/(sha256:[0-9a-f]{64})\\?expires=(\\d+)&sig=([0-9a-f]{64})");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void signsAUrlOnTheGatewayPath() {
    Matcher url = parse(ContextUrls.sign("http://127.0.0.1:8480/", DIGEST, EXPIRES, SECRET));

    assertThat(url.group(1)).isEqualTo("http://127.0.0.1:8480");
    assertThat(url.group(2)).isEqualTo(DIGEST.toString());
    assertThat(url.group(3)).isEqualTo(Long.toString(EXPIRES.getEpochSecond()));
  }

  @Test
  void verifiesItsOwnSignatureUntilItExpires() {
    String sig = signature(ContextUrls.sign("http://gw", DIGEST, EXPIRES, SECRET));
    long expires = EXPIRES.getEpochSecond();

    assertThat(ContextUrls.verify(DIGEST, expires, sig, SECRET, clock)).isTrue();
    assertThat(ContextUrls.verify(DIGEST, expires, sig, SECRET, at(EXPIRES.minusSeconds(1))))
        .isTrue();
    assertThat(ContextUrls.verify(DIGEST, expires, sig, SECRET, at(EXPIRES))).isFalse();
    assertThat(ContextUrls.verify(DIGEST, expires, sig, SECRET, at(EXPIRES.plusSeconds(3600))))
        .isFalse();
  }

  @Test
  void rejectsAnythingTamperedWith() {
    String sig = signature(ContextUrls.sign("http://gw", DIGEST, EXPIRES, SECRET));
    long expires = EXPIRES.getEpochSecond();
    Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
    String flipped = (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1);

    assertThat(ContextUrls.verify(other, expires, sig, SECRET, clock)).isFalse();
    assertThat(ContextUrls.verify(DIGEST, expires + 3600, sig, SECRET, clock)).isFalse();
    assertThat(ContextUrls.verify(DIGEST, expires, flipped, SECRET, clock)).isFalse();
    assertThat(
            ContextUrls.verify(
                DIGEST, expires, sig, "other".getBytes(StandardCharsets.UTF_8), clock))
        .isFalse();
    assertThat(ContextUrls.verify(DIGEST, expires, "zz" + sig.substring(2), SECRET, clock))
        .isFalse();
    assertThat(ContextUrls.verify(DIGEST, expires, sig.substring(2), SECRET, clock)).isFalse();
    assertThat(ContextUrls.verify(DIGEST, expires, null, SECRET, clock)).isFalse();
  }

  @Test
  void signsWithHmacSha256OverDigestNewlineExpiry() throws Exception {
    String sig = signature(ContextUrls.sign("http://gw", DIGEST, EXPIRES, SECRET));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    byte[] expected =
        mac.doFinal((DIGEST + "\n" + EXPIRES.getEpochSecond()).getBytes(StandardCharsets.UTF_8));

    assertThat(sig).isEqualTo(HexFormat.of().formatHex(expected));
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  private static Matcher parse(String url) {
    Matcher matcher = URL.matcher(url);
    assertThat(matcher.matches()).as(url).isTrue();
    return matcher;
  }

  private static String signature(String url) {
    return parse(url).group(4);
  }
}
