package dev.kiln.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.gateway.BuildState;
import dev.kiln.cli.sse.SseEvent;
import java.io.IOException;
import java.util.Optional;

/**
 * Shows one image's build events: the DESIGN.md lines for states ({@code i Building ...}, the Smart
 * Builds skip, {@code ✓ Image ... successfully pushed}, {@code x Build of ... failed}) and the
 * progress in the chosen mode.
 */
public final class BuildEventRenderer {
  private final Console console;
  private final ProgressMode mode;
  private final String image;
  private final String displayPath;
  private final ObjectMapper json;
  private final PlainProgress plain;
  private boolean building;

  /**
   * @param displayPath the Dockerfile as the user knows it, e.g. "api/Dockerfile"
   */
  public BuildEventRenderer(
      Console console, ProgressMode mode, String image, String displayPath, ObjectMapper json) {
    this.console = console;
    this.mode = mode;
    this.image = image;
    this.displayPath = displayPath;
    this.json = json;
    this.plain = new PlainProgress(console);
  }

  /** Renders one event; returns the build's new state when it was a state event. */
  public Optional<BuildState> render(SseEvent event) {
    JsonNode data = parse(event);
    if (mode == ProgressMode.JSON) {
      ObjectNode line = json.createObjectNode();
      line.put("image", image);
      line.put("id", event.id());
      line.put("event", event.type());
      line.set("data", data);
      console.json(line.toString());
    }
    if (event.type().equals("state") && data.isObject()) {
      BuildState state = json.convertValue(data, BuildState.class);
      state(state);
      return Optional.of(state);
    }
    // before BUILDING only kiln's own messages arrive (e.g. the skip), which the state lines say
    if (event.type().equals("progress") && mode != ProgressMode.JSON && building) {
      plain.render(data);
    }
    return Optional.empty();
  }

  private void state(BuildState state) {
    switch (state.state()) {
      case BuildState.BUILDING -> {
        building = true;
        String builder = state.builder() == null ? "the kiln builder" : state.builder();
        console.info("Building '" + displayPath + "' in " + builder + "...");
      }
      case BuildState.SUCCEEDED -> {
        if (state.skipped()) {
          console.info(
              "Smart Builds is skipping build of \"" + image + "\" because it's already built");
        }
        if (state.message() != null && !state.message().isBlank()) {
          console.info(state.message());
        }
        console.success("Image '" + state.imageRef() + "' successfully pushed");
      }
      case BuildState.FAILED ->
          console.failure("Build of \"" + image + "\" failed: " + reason(state.error()));
      default -> {
        // QUEUED and NEEDS_CONTEXT need no line: the CLI acts on them
      }
    }
  }

  private JsonNode parse(SseEvent event) {
    try {
      return json.readTree(event.data());
    } catch (IOException e) {
      // keep going: a malformed event must not end the build's output
      return json.getNodeFactory().textNode(event.data());
    }
  }

  private static String reason(String error) {
    return error == null || error.isBlank() ? "the gateway gave no reason" : error;
  }
}
