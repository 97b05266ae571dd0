package dev.kiln.core.hash.cache;

import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.FileStat;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes the next cache file ({@link StatCacheFile} describes the format): the entries of the old
 * file merged with what this run read, in path byte order.
 */
final class StatCacheWriter {

  /**
   * A file this run read.
   *
   * @param sha256 its digest, or null when its stat was too recent to trust: then the path is left
   *     out of the next file
   */
  record Recorded(
      String path, FileStat stat, byte[] sha256, long trustedBeforeNanos, int lastSeen) {}

  private record Item(byte[] path, Recorded recorded) {}

  private StatCacheWriter() {}

  /**
   * @param oldestKept old entries last seen before this generation are dropped
   */
  static void write(
      OutputStream out,
      String contextPath,
      int generation,
      StatCacheFile old,
      List<Recorded> recorded,
      int oldestKept)
      throws IOException {
    List<Item> fresh = sortedByBytes(recorded);

    // merge: -1 - i stands for old entry i, j >= 0 for fresh item j
    int[] merged = new int[old.count() + fresh.size()];
    int count = 0;
    int i = 0;
    int j = 0;
    while (i < old.count() || j < fresh.size()) {
      int c = i == old.count() ? 1 : j == fresh.size() ? -1 : old.compare(i, fresh.get(j).path());
      if (c < 0) {
        if (old.lastSeen(i) >= oldestKept) {
          merged[count++] = -1 - i;
        }
        i++;
      } else {
        if (fresh.get(j).recorded().sha256() != null) {
          merged[count++] = j;
        }
        i += c == 0 ? 1 : 0;
        j++;
      }
    }

    CRC32C crc = new CRC32C();
    DataOutputStream data =
        new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out, 1 << 16), crc));
    data.write(StatCacheFile.MAGIC);
    data.writeInt(StatCacheFile.VERSION);
    data.writeInt(generation);
    byte[] context = contextPath.getBytes(StandardCharsets.UTF_8);
    data.writeInt(context.length);
    data.write(context);
    data.writeInt(count);
    for (int k = 0; k < count; k++) {
      if (merged[k] < 0) {
        old.copyEntry(-1 - merged[k], data);
      } else {
        writeEntry(data, fresh.get(merged[k]));
      }
    }
    data.flush();
    // the checksum covers what went through the checked stream; it follows it, unchecked
    DataOutputStream tail = new DataOutputStream(out);
    tail.writeInt((int) crc.getValue());
    tail.flush();
  }

  /** The recorded files in byte order of their paths, the last record of a path winning. */
  private static List<Item> sortedByBytes(List<Recorded> recorded) {
    Map<String, Recorded> byPath = new LinkedHashMap<>();
    for (Recorded r : recorded) {
      byPath.put(r.path(), r);
    }
    List<Item> items = new ArrayList<>(byPath.size());
    for (Recorded r : byPath.values()) {
      items.add(new Item(ContextNames.encode(r.path()), r));
    }
    items.sort(Comparator.comparing(Item::path, Arrays::compareUnsigned));
    return items;
  }

  private static void writeEntry(DataOutputStream data, Item item) throws IOException {
    Recorded r = item.recorded();
    FileStat stat = r.stat();
    data.writeInt(item.path().length);
    data.write(item.path());
    data.writeLong(stat.sizeBytes());
    data.writeLong(stat.mtimeNanos());
    data.writeLong(stat.ctimeNanos());
    data.writeLong(stat.inode());
    data.writeInt(stat.mode());
    data.writeLong(r.trustedBeforeNanos());
    data.writeInt(r.lastSeen());
    data.write(r.sha256());
  }
}
