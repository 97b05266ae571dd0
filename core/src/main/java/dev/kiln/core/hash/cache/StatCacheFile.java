package dev.kiln.core.hash.cache;

import dev.kiln.core.context.FileStat;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A stat cache file as read, version 1. Integers are big-endian; {@code str} is a {@code u32} byte
 * length and UTF-8 bytes.
 *
 * <pre>
 * 8 bytes "KILNSTAT", u32 version, u32 generation, str context path, u32 entry count,
 * per entry, sorted by the path's bytes:
 *   str path, then 80 bytes: u64 size, i64 mtime ns, i64 ctime ns, u64 inode, u32 mode,
 *   i64 trusted-before ns, u32 last-seen generation, 32 bytes sha256
 * u32 CRC32C of all bytes before it
 * </pre>
 *
 * <p>The file stays one byte array with an index of entry offsets: a warm run of a 100k-file tree
 * looks up every entry once, and building 100k objects for that costs more than the lookups.
 *
 * <p>Anything unexpected (another version, another context, a short or torn file, a bad checksum)
 * reads as an empty cache: the cache only saves time, and the next save replaces the file.
 */
final class StatCacheFile {

  static final int VERSION = 1;
  static final byte[] MAGIC = "KILNSTAT".getBytes(StandardCharsets.US_ASCII);
  static final int FIXED_BYTES = 80;
  static final int DIGEST_BYTES = 32;

  private static final int SIZE = 0;
  private static final int MTIME = 8;
  private static final int CTIME = 16;
  private static final int INODE = 24;
  private static final int MODE = 32;
  private static final int TRUSTED_BEFORE = 36;
  private static final int LAST_SEEN = 44;
  private static final int DIGEST = 48;

  static final StatCacheFile EMPTY = new StatCacheFile(new byte[0], new int[0], 0);

  private final byte[] data;
  private final ByteBuffer buffer;
  private final int[] offsets;
  private final int generation;

  private StatCacheFile(byte[] data, int[] offsets, int generation) {
    this.data = data;
    this.buffer = ByteBuffer.wrap(data);
    this.offsets = offsets;
    this.generation = generation;
  }

  /** Reads the file; a missing, foreign or damaged one reads as {@link #EMPTY}. */
  static StatCacheFile read(Path file, String contextPath) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return EMPTY;
    }
    try {
      return parse(bytes, contextPath);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return EMPTY;
    }
  }

  private static StatCacheFile parse(byte[] bytes, String contextPath) {
    if (bytes.length < MAGIC.length + 4 + 4
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return EMPTY;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
      return EMPTY;
    }
    in.limit(bytes.length - 4).position(MAGIC.length);
    if (in.getInt() != VERSION) {
      return EMPTY;
    }
    int generation = in.getInt();
    int contextLength = length(in);
    if (!new String(bytes, in.position(), contextLength, StandardCharsets.UTF_8)
        .equals(contextPath)) {
      return EMPTY;
    }
    in.position(in.position() + contextLength);
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / (4 + FIXED_BYTES)) {
      return EMPTY;
    }
    int[] offsets = new int[count];
    for (int i = 0; i < count; i++) {
      offsets[i] = in.position();
      int pathLength = length(in);
      if (pathLength > in.remaining() - FIXED_BYTES) {
        return EMPTY;
      }
      in.position(in.position() + pathLength + FIXED_BYTES);
      if (i > 0 && comparePaths(in, offsets[i - 1], offsets[i]) >= 0) {
        return EMPTY;
      }
    }
    return in.hasRemaining() ? EMPTY : new StatCacheFile(bytes, offsets, generation);
  }

  private static int length(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("length " + length + " out of range");
    }
    return length;
  }

  int generation() {
    return generation;
  }

  int count() {
    return offsets.length;
  }

  /**
   * The index of {@code path}, trying {@code hint} first (lookups come in path order); -1 if
   * absent.
   */
  int find(String path, int hint) {
    if (hint >= 0 && hint < offsets.length && compare(hint, path) == 0) {
      return hint;
    }
    int low = 0;
    int high = offsets.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = compare(mid, path);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Compares entry {@code index}'s path with {@code path}, both as UTF-8 bytes. */
  int compare(int index, String path) {
    int offset = offsets[index];
    return -Utf8Order.compare(path, data, offset + 4, buffer.getInt(offset));
  }

  boolean statEquals(int index, FileStat stat) {
    int at = fixed(index);
    return buffer.getLong(at + SIZE) == stat.sizeBytes()
        && buffer.getLong(at + MTIME) == stat.mtimeNanos()
        && buffer.getLong(at + CTIME) == stat.ctimeNanos()
        && buffer.getLong(at + INODE) == stat.inode()
        && buffer.getInt(at + MODE) == stat.mode();
  }

  /**
   * Whether the stat stored with the digest is older than the run that read the file, by a margin.
   */
  boolean trusted(int index) {
    int at = fixed(index);
    long trustedBefore = buffer.getLong(at + TRUSTED_BEFORE);
    return buffer.getLong(at + MTIME) < trustedBefore && buffer.getLong(at + CTIME) < trustedBefore;
  }

  byte[] digest(int index) {
    int at = fixed(index) + DIGEST;
    return Arrays.copyOfRange(data, at, at + DIGEST_BYTES);
  }

  int lastSeen(int index) {
    return buffer.getInt(fixed(index) + LAST_SEEN);
  }

  void markSeen(int index, int generation) {
    buffer.putInt(fixed(index) + LAST_SEEN, generation);
  }

  /** The whole entry (path and fixed part), as it goes into the next file. */
  void copyEntry(int index, DataOutputStream out) throws IOException {
    int offset = offsets[index];
    out.write(data, offset, 4 + buffer.getInt(offset) + FIXED_BYTES);
  }

  /** Compares entry {@code index}'s path with a recorded path's UTF-8 bytes. */
  int compare(int index, byte[] path) {
    int offset = offsets[index];
    return Arrays.compareUnsigned(
        data, offset + 4, offset + 4 + buffer.getInt(offset), path, 0, path.length);
  }

  private int fixed(int index) {
    int offset = offsets[index];
    return offset + 4 + buffer.getInt(offset);
  }

  private static int comparePaths(ByteBuffer in, int a, int b) {
    byte[] bytes = in.array();
    int aLength = in.getInt(a);
    int bLength = in.getInt(b);
    return Arrays.compareUnsigned(bytes, a + 4, a + 4 + aLength, bytes, b + 4, b + 4 + bLength);
  }
}
