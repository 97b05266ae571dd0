package dev.kiln.core.context;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Parses pax extended header records, {@code "<length> <key>=<value>\n"}, strictly. */
final class PaxRecords {

  private PaxRecords() {}

  static Map<String, String> parse(byte[] data, String headerName)
      throws TarReader.TarFormatException {
    Map<String, String> records = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] >= '0' && data[space] <= '9') {
        space++;
      }
      if (space == pos || space - pos > 9 || space >= data.length || data[space] != ' ') {
        throw bad(headerName);
      }
      int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      int end = pos + length;
      if (length <= space - pos + 1 || end > data.length || data[end - 1] != '\n') {
        throw bad(headerName);
      }
      String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      if (equals <= 0) {
        throw bad(headerName);
      }
      String key = record.substring(0, equals);
      String value = record.substring(equals + 1);
      if (key.indexOf('\0') >= 0
          || ((key.equals("path") || key.equals("linkpath")) && value.indexOf('\0') >= 0)) {
        throw bad(headerName);
      }
      records.put(key, value);
      pos = end;
    }
    return records;
  }

  static long parseSize(String value, String name) throws TarReader.TarFormatException {
    if (!value.matches("[0-9]{1,18}")) {
      throw new TarReader.TarFormatException(name + " has the invalid pax size '" + value + "'");
    }
    return Long.parseLong(value);
  }

  private static TarReader.TarFormatException bad(String headerName) {
    return new TarReader.TarFormatException(
        "the pax extended header " + headerName + " is malformed");
  }
}
