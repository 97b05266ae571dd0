package dev.kiln.core.hash;

import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextEntry.Kind;
import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.ContextPaths;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The canonical encoding of build inputs, fed straight into sha256 (core/README.md describes it).
 * Every variable-length value is preceded by its length and every list by its count, so two
 * different inputs never encode to the same bytes. Values are gathered in a buffer and digested in
 * large chunks: 100k entries make 600k small values.
 */
final class HashEncoder {

  static final String VERSION = "kiln-build-hash/v1";

  private final MessageDigest sha256 = Digest.newSha256();
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

  /** Encodes entries (sorted, with parents) and inputs and returns the hash. */
  static BuildHash encode(List<HashedEntry> entries, byte[] dockerfileDigest, BuildInputs inputs) {
    HashEncoder encoder = new HashEncoder();
    encoder.entriesHeader(entries.size());
    for (HashedEntry hashed : entries) {
      encoder.entry(hashed, ContextNames.encode(hashed.entry().path()));
    }
    return encoder.finish(dockerfileDigest, inputs);
  }

  /**
   * Encodes entries in one pass if they already are the tree the hash wants: strictly in byte
   * order, every parent directory listed, the Dockerfile a file among them. Null otherwise; the
   * caller then normalizes them (or reports what is wrong) and calls {@link #encode}.
   */
  static BuildHash encodeIfTree(List<HashedEntry> entries, BuildInputs inputs) {
    HashEncoder encoder = new HashEncoder();
    encoder.entriesHeader(entries.size());
    String dockerfile = inputs.dockerfilePath();
    byte[] dockerfileDigest = null;
    Set<String> directories = new HashSet<>();
    String parent = null;
    byte[] previous = null;
    for (HashedEntry hashed : entries) {
      ContextEntry entry = hashed.entry();
      String path = entry.path();
      byte[] pathBytes = ContextNames.encode(path);
      if (previous != null && Arrays.compareUnsigned(previous, pathBytes) >= 0) {
        return null;
      }
      int slash = path.lastIndexOf('/');
      if (slash >= 0 && !(parent != null && parent.length() == slash && path.startsWith(parent))) {
        // another parent than the entry before's: it must be a directory listed earlier
        parent = path.substring(0, slash);
        if (!directories.contains(parent)) {
          return null;
        }
      }
      if (entry.kind() == Kind.DIRECTORY) {
        directories.add(path);
      }
      if (path.equals(dockerfile)) {
        if (entry.kind() != Kind.FILE) {
          return null;
        }
        dockerfileDigest = hashed.digest();
      }
      encoder.entry(hashed, pathBytes);
      previous = pathBytes;
    }
    return dockerfileDigest == null ? null : encoder.finish(dockerfileDigest, inputs);
  }

  private void entriesHeader(int count) {
    string(VERSION);
    tag('E');
    u64(count);
  }

  private void entry(HashedEntry hashed, byte[] pathBytes) {
    ContextEntry entry = hashed.entry();
    tag(
        switch (entry.kind()) {
          case FILE -> 'f';
          case DIRECTORY -> 'd';
          case SYMLINK -> 'l';
        });
    bytes(pathBytes);
    u8(entry.kind() == Kind.FILE && entry.executable() ? 1 : 0);
    bytes(hashed.digest());
  }

  private BuildHash finish(byte[] dockerfileDigest, BuildInputs inputs) {
    tag('D');
    bytes(ContextNames.encode(inputs.dockerfilePath()));
    bytes(dockerfileDigest);

    tag('T');
    string(inputs.target());

    tag('A');
    List<Map.Entry<String, String>> args = sorted(inputs.args());
    u32(args.size());
    for (Map.Entry<String, String> arg : args) {
      string(arg.getKey());
      if (arg.getValue() == null) {
        u8(0);
      } else {
        u8(1);
        string(arg.getValue());
      }
    }

    tag('P');
    List<String> platforms = new ArrayList<>(inputs.platforms());
    platforms.sort(ContextPaths.BYTE_ORDER);
    u32(platforms.size());
    platforms.forEach(this::string);

    tag('S');
    List<Map.Entry<String, String>> secrets = sorted(inputs.secretDigests());
    u32(secrets.size());
    for (Map.Entry<String, String> secret : secrets) {
      string(secret.getKey());
      bytes(HexFormat.of().parseHex(secret.getValue()));
    }

    tag('C');
    string(inputs.cacheScope());
    flush();
    return new BuildHash(HexFormat.of().formatHex(sha256.digest()));
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
    room(1);
    buffer.put((byte) value);
  }

  private void u32(int value) {
    room(4);
    buffer.putInt(value);
  }

  private void u64(long value) {
    room(8);
    buffer.putLong(value);
  }

  private void string(String value) {
    bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  private void bytes(byte[] value) {
    u32(value.length);
    if (value.length > buffer.capacity()) {
      flush();
      sha256.update(value);
      return;
    }
    room(value.length);
    buffer.put(value);
  }

  private void room(int bytes) {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  private void flush() {
    sha256.update(buffer.array(), 0, buffer.position());
    buffer.clear();
  }
}
