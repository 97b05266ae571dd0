package dev.kiln.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Prints build progress the way BuildKit's plain output does: each vertex gets a number {@code #N}
 * at first sight, its name opens a block, log lines are prefixed with {@code #N }, and a block ends
 * with {@code #N DONE}, {@code #N CACHED} or {@code #N ERROR <message>}.
 */
final class PlainProgress {
  private static final class Vertex {
    /** 0 until the vertex is first printed; BuildKit numbers vertices in that order too. */
    int number;

    String name = "";
    boolean finished;
  }

  private final Console console;
  private final Map<String, Vertex> vertices = new HashMap<>();
  private int printed;
  private Vertex lastPrinted;

  PlainProgress(Console console) {
    this.console = console;
  }

  /** Renders one {@code progress} event's data. */
  void render(JsonNode data) {
    switch (data.path("type").asText()) {
      case "vertex" -> vertex(data);
      case "log" -> log(data);
      case "message" -> console.progress(data.path("text").asText());
      case "task" -> task(data);
      default -> {
        // newer gateways may add types; plain output shows what it knows
      }
    }
  }

  private void vertex(JsonNode data) {
    Vertex vertex = vertices.computeIfAbsent(data.path("digest").asText(), ignored -> new Vertex());
    String name = data.path("name").asText("");
    if (!name.isEmpty() && vertex.name.isEmpty()) {
      vertex.name = name;
    }
    String error = data.path("error").asText("");
    boolean cached = data.path("cached").asBoolean(false);
    boolean completed = isSet(data.path("completed"));
    // BuildKit announces every vertex of the graph up front; show each once it begins
    if (!isSet(data.path("started")) && !cached && !completed && error.isEmpty()) {
      return;
    }
    if (vertex.number == 0) {
      vertex.number = ++printed;
      header(vertex);
    }
    if (vertex.finished) {
      return;
    }
    if (!error.isEmpty()) {
      vertex.finished = true;
      print(vertex, "#" + vertex.number + " ERROR " + error);
    } else if (cached) {
      vertex.finished = true;
      print(vertex, "#" + vertex.number + " CACHED");
    } else if (completed) {
      vertex.finished = true;
      print(vertex, "#" + vertex.number + " DONE" + duration(data));
    }
  }

  private void log(JsonNode data) {
    Vertex vertex = vertices.computeIfAbsent(data.path("vertex").asText(), ignored -> new Vertex());
    if (vertex.number == 0) {
      vertex.number = ++printed;
      if (!vertex.name.isEmpty()) {
        header(vertex);
      }
    }
    String text = data.path("text").asText("");
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    for (String line : text.split("\r?\n", -1)) {
      print(vertex, "#" + vertex.number + " " + line);
    }
  }

  /** A finished sub-task, e.g. {@code #8 pushing manifest for <ref> done}, as BuildKit shows it. */
  private void task(JsonNode data) {
    Vertex vertex = vertices.get(data.path("vertex").asText());
    if (vertex == null || vertex.number == 0) {
      return;
    }
    print(vertex, "#" + vertex.number + " " + data.path("name").asText() + " done");
  }

  private void print(Vertex vertex, String line) {
    // like BuildKit, repeat a block's header when output returns to it from another vertex
    if (lastPrinted != vertex && !vertex.name.isEmpty()) {
      header(vertex);
    }
    lastPrinted = vertex;
    console.progress(line);
  }

  private void header(Vertex vertex) {
    console.progress("#" + vertex.number + " " + vertex.name);
    lastPrinted = vertex;
  }

  /** Started/completed are epoch milliseconds (0 = not yet); booleans and text are accepted. */
  private static boolean isSet(JsonNode value) {
    if (value.isNumber()) {
      return value.asLong() > 0;
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return value.isTextual() && !value.asText().isEmpty();
  }

  private static String duration(JsonNode data) {
    JsonNode started = data.path("started");
    JsonNode completed = data.path("completed");
    if (!started.isNumber() || !completed.isNumber() || started.asLong() <= 0) {
      return "";
    }
    long millis = Math.max(0, completed.asLong() - started.asLong());
    return String.format(java.util.Locale.ROOT, " %.1fs", millis / 1000.0);
  }
}
