package dev.kiln.core.hash.cache;

import dev.kiln.core.context.FileStat;
import java.io.DataOutputStream;
import java.io.IOException;
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
 * looks up every entry once, and building 100k objects for that costs more than the lookups. Its
 * integers are read straight from the array: a warm run is over before the JIT has compiled the
 * ByteBuffer accessors, which cost several calls per read until then.
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
  private final int[] offsets;
  private final int generation;

  private StatCacheFile(byte[] data, int[] offsets, int generation) {
    this.data = data;
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
    return parse(bytes, contextPath);
  }

  /** Checks and indexes a file's bytes; {@link #EMPTY} for anything but a whole version 1 file. */
  private static StatCacheFile parse(byte[] bytes, String contextPath) {
    int end = bytes.length - 4;
    if (end < MAGIC.length + 4 + 4 + 4 + 4
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return EMPTY;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, end);
    if (intAt(bytes, end) != (int) crc.getValue() || intAt(bytes, MAGIC.length) != VERSION) {
      return EMPTY;
    }
    int generation = intAt(bytes, MAGIC.length + 4);
    int at = MAGIC.length + 8;
    byte[] context = contextPath.getBytes(StandardCharsets.UTF_8);
    int contextLength = intAt(bytes, at);
    if (contextLength != context.length
        || end - at - 4 - 4 < contextLength
        || !Arrays.equals(bytes, at + 4, at + 4 + contextLength, context, 0, context.length)) {
      return EMPTY;
    }
    at += 4 + contextLength;
    int count = intAt(bytes, at);
    at += 4;
    if (count < 0 || count > (end - at) / (4 + FIXED_BYTES)) {
      return EMPTY;
    }
    int[] offsets = new int[count];
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int next = nextEntry(bytes, at, end, previous);
      if (next < 0) {
        return EMPTY;
      }
      offsets[i] = at;
      previous = at;
      at = next;
    }
    return at == end ? new StatCacheFile(bytes, offsets, generation) : EMPTY;
  }

  /**
   * The offset after the entry at {@code at}, or -1 when it overruns {@code end} or does not sort
   * after the entry at {@code previous} (-1 for none). A method of its own so that the JIT compiles
   * it after a few hundred entries instead of running the loop above in the interpreter.
   */
  private static int nextEntry(byte[] bytes, int at, int end, int previous) {
    int pathLength = intAt(bytes, at);
    if (pathLength < 0 || pathLength > end - at - 4 - FIXED_BYTES) {
      return -1;
    }
    if (previous >= 0
        && Arrays.compareUnsigned(
                bytes,
                previous + 4,
                previous + 4 + intAt(bytes, previous),
                bytes,
                at + 4,
                at + 4 + pathLength)
            >= 0) {
      return -1;
    }
    return at + 4 + pathLength + FIXED_BYTES;
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
    return -Utf8Order.compare(path, data, offset + 4, intAt(data, offset));
  }

  /**
   * The digest of entry {@code index} if it was read under exactly {@code stat} and that stat is
   * older than the run that read it by a margin; the entry is then marked as seen in {@code
   * generation}. Null otherwise.
   */
  byte[] reuse(int index, FileStat stat, int generation) {
    int at = fixed(index);
    long mtime = longAt(data, at + MTIME);
    long ctime = longAt(data, at + CTIME);
    long trustedBefore = longAt(data, at + TRUSTED_BEFORE);
    if (longAt(data, at + SIZE) != stat.sizeBytes()
        || mtime != stat.mtimeNanos()
        || ctime != stat.ctimeNanos()
        || longAt(data, at + INODE) != stat.inode()
        || intAt(data, at + MODE) != stat.mode()
        || mtime >= trustedBefore
        || ctime >= trustedBefore) {
      return null;
    }
    putInt(data, at + LAST_SEEN, generation);
    return Arrays.copyOfRange(data, at + DIGEST, at + DIGEST + DIGEST_BYTES);
  }

  int lastSeen(int index) {
    return intAt(data, fixed(index) + LAST_SEEN);
  }

  /** The whole entry (path and fixed part), as it goes into the next file. */
  void copyEntry(int index, DataOutputStream out) throws IOException {
    int offset = offsets[index];
    out.write(data, offset, 4 + intAt(data, offset) + FIXED_BYTES);
  }

  /** Compares entry {@code index}'s path with a recorded path's UTF-8 bytes. */
  int compare(int index, byte[] path) {
    int offset = offsets[index];
    return Arrays.compareUnsigned(
        data, offset + 4, offset + 4 + intAt(data, offset), path, 0, path.length);
  }

  private int fixed(int index) {
    int offset = offsets[index];
    return offset + 4 + intAt(data, offset);
  }

  private static int intAt(byte[] bytes, int at) {
    return (bytes[at] & 0xff) << 24
        | (bytes[at + 1] & 0xff) << 16
        | (bytes[at + 2] & 0xff) << 8
        | (bytes[at + 3] & 0xff);
  }

  private static long longAt(byte[] bytes, int at) {
    return (long) intAt(bytes, at) << 32 | (intAt(bytes, at + 4) & 0xffffffffL);
  }

  private static void putInt(byte[] bytes, int at, int value) {
    bytes[at] = (byte) (value >>> 24);
    bytes[at + 1] = (byte) (value >>> 16);
    bytes[at + 2] = (byte) (value >>> 8);
    bytes[at + 3] = (byte) value;
  }
}
