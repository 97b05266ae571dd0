package dev.kiln.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads Server-Sent Events frames (and comments) from a response body. */
public final class SseReader implements AutoCloseable {
  /** One frame; {@code comment} is set for a comment-only frame such as a heartbeat. */
  public record Frame(String id, String event, String data, String comment) {}

  private final BufferedReader reader;

  public SseReader(InputStream body) {
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next frame, or null at the end of the stream. */
  public Frame next() {
    String id = null;
    String event = null;
    String data = null;
    String comment = null;
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (id != null || event != null || data != null || comment != null) {
            return new Frame(id, event, data, comment);
          }
          continue;
        }
        if (line.startsWith(":")) {
          comment = line.substring(1).trim();
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
