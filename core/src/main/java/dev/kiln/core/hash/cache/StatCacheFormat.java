package dev.kiln.core.hash.cache;

import dev.kiln.core.context.FileStat;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The stat cache file, version 1. Integers are big-endian; {@code str} is a {@code u32} byte length
 * and UTF-8 bytes.
 *
 * <pre>
 * 8 bytes "KILNSTAT", u32 version, u32 generation, str context path, u32 entry count,
 * per entry: str path, u64 size, i64 mtime ns, i64 ctime ns, u64 inode, u32 mode,
 *            i64 trusted-before ns, u32 last-seen generation, 32 bytes sha256
 * u32 CRC32C of all bytes before it
 * </pre>
 *
 * <p>Anything unexpected (another version, another context, a short or torn file, a bad checksum)
 * reads as no cache at all: the cache only saves time, and the next save replaces the file.
 */
final class StatCacheFormat {

  static final int VERSION = 1;
  private static final byte[] MAGIC = "KILNSTAT".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGEST_BYTES = 32;
  private static final int MIN_ENTRY_BYTES = 4 + 8 * 5 + 4 + 4 + DIGEST_BYTES;

  /** What a cache file holds. */
  record Contents(int generation, Map<String, CachedDigest> entries) {
    static final Contents EMPTY = new Contents(0, Map.of());
  }

  private StatCacheFormat() {}

  /** Reads the file; a missing, foreign or damaged one reads as {@link Contents#EMPTY}. */
  static Contents read(Path file, String contextPath) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Contents.EMPTY;
    }
    try {
      return parse(bytes, contextPath);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return Contents.EMPTY;
    }
  }

  private static Contents parse(byte[] bytes, String contextPath) {
    if (bytes.length < MAGIC.length + 4 + 4
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return Contents.EMPTY;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
      return Contents.EMPTY;
    }
    in.limit(bytes.length - 4).position(MAGIC.length);
    if (in.getInt() != VERSION) {
      return Contents.EMPTY;
    }
    int generation = in.getInt();
    if (!string(in).equals(contextPath)) {
      return Contents.EMPTY;
    }
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / MIN_ENTRY_BYTES) {
      return Contents.EMPTY;
    }
    Map<String, CachedDigest> entries = HashMap.newHashMap(count);
    for (int i = 0; i < count; i++) {
      String path = string(in);
      FileStat stat =
          new FileStat(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getInt());
      long trustedBefore = in.getLong();
      int lastSeen = in.getInt();
      byte[] digest = new byte[DIGEST_BYTES];
      in.get(digest);
      entries.put(path, new CachedDigest(stat, digest, trustedBefore, lastSeen));
    }
    return in.hasRemaining() ? Contents.EMPTY : new Contents(generation, entries);
  }

  private static String string(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("string length " + length + " out of range");
    }
    String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return text;
  }

  /** Writes the whole file to {@code out}, which the caller closes. */
  static void write(OutputStream out, String contextPath, Contents contents) throws IOException {
    CRC32C crc = new CRC32C();
    DataOutputStream data =
        new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out, 1 << 16), crc));
    data.write(MAGIC);
    data.writeInt(VERSION);
    data.writeInt(contents.generation());
    string(data, contextPath);
    data.writeInt(contents.entries().size());
    for (Map.Entry<String, CachedDigest> entry : contents.entries().entrySet()) {
      CachedDigest cached = entry.getValue();
      FileStat stat = cached.stat();
      string(data, entry.getKey());
      data.writeLong(stat.sizeBytes());
      data.writeLong(stat.mtimeNanos());
      data.writeLong(stat.ctimeNanos());
      data.writeLong(stat.inode());
      data.writeInt(stat.mode());
      data.writeLong(cached.trustedBeforeNanos());
      data.writeInt(cached.lastSeen());
      data.write(cached.sha256());
    }
    data.flush();
    // the checksum covers what went through the checked stream; it goes out after it, unchecked
    DataOutputStream tail = new DataOutputStream(out);
    tail.writeInt((int) crc.getValue());
    tail.flush();
  }

  private static void string(DataOutputStream data, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    data.writeInt(bytes.length);
    data.write(bytes);
  }
}
