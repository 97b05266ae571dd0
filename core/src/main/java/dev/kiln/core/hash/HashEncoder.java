package dev.kiln.core.hash;

import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextPaths;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The canonical encoding of build inputs, fed straight into sha256 (core/README.md describes it).
 * Every variable-length value is preceded by its length and every list by its count, so two
 * different inputs never encode to the same bytes.
 */
final class HashEncoder {

  static final String VERSION = "kiln-build-hash/v1";

  private final MessageDigest sha256 = Digest.newSha256();

  /** Encodes entries (sorted, with parents) and inputs and returns the hash. */
  static BuildHash encode(List<HashedEntry> entries, byte[] dockerfileDigest, BuildInputs inputs) {
    HashEncoder encoder = new HashEncoder();
    encoder.string(VERSION);

    encoder.tag('E');
    encoder.u64(entries.size());
    for (HashedEntry hashed : entries) {
      ContextEntry entry = hashed.entry();
      encoder.tag(
          switch (entry.kind()) {
            case FILE -> 'f';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
          });
      encoder.string(entry.path());
      encoder.u8(entry.kind() == ContextEntry.Kind.FILE && entry.executable() ? 1 : 0);
      encoder.bytes(hashed.digest());
    }

    encoder.tag('D');
    encoder.string(inputs.dockerfilePath());
    encoder.bytes(dockerfileDigest);

    encoder.tag('T');
    encoder.string(inputs.target());

    encoder.tag('A');
    List<Map.Entry<String, String>> args = sorted(inputs.args());
    encoder.u32(args.size());
    for (Map.Entry<String, String> arg : args) {
      encoder.string(arg.getKey());
      if (arg.getValue() == null) {
        encoder.u8(0);
      } else {
        encoder.u8(1);
        encoder.string(arg.getValue());
      }
    }

    encoder.tag('P');
    List<String> platforms = new ArrayList<>(inputs.platforms());
    platforms.sort(ContextPaths.BYTE_ORDER);
    encoder.u32(platforms.size());
    platforms.forEach(encoder::string);

    encoder.tag('S');
    List<Map.Entry<String, String>> secrets = sorted(inputs.secretDigests());
    encoder.u32(secrets.size());
    for (Map.Entry<String, String> secret : secrets) {
      encoder.string(secret.getKey());
      encoder.bytes(HexFormat.of().parseHex(secret.getValue()));
    }

    encoder.tag('C');
    encoder.string(inputs.cacheScope());
    return new BuildHash(HexFormat.of().formatHex(encoder.sha256.digest()));
  }

  private static List<Map.Entry<String, String>> sorted(Map<String, String> map) {
    List<Map.Entry<String, String>> list = new ArrayList<>(map.entrySet());
    list.sort((a, b) -> ContextPaths.BYTE_ORDER.compare(a.getKey(), b.getKey()));
    return list;
  }

  private void tag(char tag) {
    u8(tag);
  }

  private void u8(int value) {
    sha256.update((byte) value);
  }

  private void u32(int value) {
    sha256.update(ByteBuffer.allocate(4).putInt(value).array());
  }

  private void u64(long value) {
    sha256.update(ByteBuffer.allocate(8).putLong(value).array());
  }

  private void string(String value) {
    bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  private void bytes(byte[] value) {
    u32(value.length);
    sha256.update(value);
  }
}
