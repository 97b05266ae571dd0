package dev.kiln.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.gateway.BuildState;
import dev.kiln.cli.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Recorded event sequences render as DESIGN.md §1 shows them. */
class BuildEventRendererTest {
  private static final String REF = "127.0.0.1:5100/cindy/api:kiln";
  private static final String CACHE = "127.0.0.1:5100/kiln/api:" + "ab".repeat(32);
  private static final String DIGEST = "sha256:" + "cd".repeat(32);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void rendersTheSkipPathWithExactlyTheDesignLines() {
    List<SseEvent> events =
        List.of(
            state(1, "{\"state\":\"QUEUED\"}"),
            progress(2, "{\"type\":\"message\",\"text\":\"Smart Builds: the cache has api\"}"),
            state(3, succeeded("SKIPPED")));

    render(ProgressMode.PLAIN, events);

    assertThat(stdout())
        .isEqualTo(
            """
            i Smart Builds is skipping build of "api" because it's already built
            ✓ Image '127.0.0.1:5100/cindy/api:kiln' successfully pushed
            """);
    assertThat(stderr()).isEmpty();
  }

  @Test
  void rendersTheBuildPathWithBuildKitLikeProgress() {
    List<SseEvent> events =
        List.of(
            state(1, "{\"state\":\"QUEUED\"}"),
            state(2, "{\"state\":\"NEEDS_CONTEXT\"}"),
            state(3, "{\"state\":\"QUEUED\"}"),
            state(4, "{\"state\":\"BUILDING\",\"builder\":\"tcp://127.0.0.1:11234\"}"),
            progress(5, vertex("d1", "[internal] load build definition from Dockerfile", 0, 0)),
            progress(
                6, vertex("d1", "[internal] load build definition from Dockerfile", 1000, 1200)),
            progress(7, vertex("d2", "[1/2] FROM 127.0.0.1:5100/library/busybox:latest", 1300, 0)),
            progress(8, "{\"type\":\"vertex\",\"digest\":\"d2\",\"name\":\"x\",\"cached\":true}"),
            progress(9, vertex("d3", "[2/2] RUN echo hi", 1400, 0)),
            progress(
                10, "{\"type\":\"log\",\"vertex\":\"d3\",\"stream\":1,\"text\":\"hi\\nthere\\n\"}"),
            progress(11, vertex("d3", "[2/2] RUN echo hi", 1400, 2400)),
            progress(
                12, "{\"type\":\"message\",\"text\":\"=> pushing manifest for " + CACHE + "\"}"),
            state(13, succeeded("BUILT")));

    render(ProgressMode.PLAIN, events);

    assertThat(stdout())
        .isEqualTo(
            """
            i Building 'api/Dockerfile' in tcp://127.0.0.1:11234...
            #1 [internal] load build definition from Dockerfile
            #1 DONE 0.2s
            #2 [1/2] FROM 127.0.0.1:5100/library/busybox:latest
            #2 CACHED
            #3 [2/2] RUN echo hi
            #3 hi
            #3 there
            #3 DONE 1.0s
            => pushing manifest for %s
            ✓ Image '127.0.0.1:5100/cindy/api:kiln' successfully pushed
            """
                .formatted(CACHE));
  }

  @Test
  void showsFinishedBuildKitTasksInsideTheirStep() {
    render(
        ProgressMode.PLAIN,
        List.of(
            state(1, "{\"state\":\"BUILDING\",\"builder\":\"b\"}"),
            progress(2, vertex("e", "exporting to image", 1000, 0)),
            progress(
                3,
                "{\"type\":\"task\",\"vertex\":\"e\",\"name\":\"pushing manifest for "
                    + CACHE
                    + "\"}"),
            progress(4, "{\"type\":\"task\",\"vertex\":\"unknown\",\"name\":\"x\"}"),
            progress(5, vertex("e", "exporting to image", 1000, 1500))));

    assertThat(stdout())
        .contains(
            """
            #1 exporting to image
            #1 pushing manifest for %s done
            #1 DONE 0.5s
            """
                .formatted(CACHE))
        .doesNotContain(" x done");
  }

  @Test
  void repeatsAVertexHeaderWhenOutputReturnsToIt() {
    render(
        ProgressMode.PLAIN,
        List.of(
            state(1, "{\"state\":\"BUILDING\",\"builder\":\"b\"}"),
            progress(2, vertex("a", "RUN a", 1, 0)),
            progress(3, vertex("b", "RUN b", 1, 0)),
            progress(4, "{\"type\":\"log\",\"vertex\":\"a\",\"text\":\"from a\"}"),
            progress(
                5,
                "{\"type\":\"vertex\",\"digest\":\"b\",\"name\":\"RUN b\",\"error\":\"exit code: 1\"}")));

    assertThat(stdout())
        .isEqualTo(
            "i Building 'api/Dockerfile' in b...\n#1 RUN a\n#2 RUN b\n#1 RUN a\n#1 from a\n#2 RUN b\n#2 ERROR exit code: 1\n");
  }

  @Test
  void showsVerticesInTheOrderTheyStartNotTheOrderTheyAreAnnounced() {
    render(
        ProgressMode.PLAIN,
        List.of(
            state(1, "{\"state\":\"BUILDING\",\"builder\":\"b\"}"),
            progress(2, vertex("run", "[2/2] RUN x", 0, 0)),
            progress(3, vertex("from", "[1/2] FROM base", 0, 0)),
            progress(
                4,
                "{\"type\":\"vertex\",\"digest\":\"from\",\"name\":\"[1/2] FROM base\",\"cached\":true,\"started\":null,\"completed\":null,\"error\":null}"),
            progress(5, vertex("run", "[2/2] RUN x", 10, 0)),
            progress(6, vertex("run", "[2/2] RUN x", 10, 20))));

    assertThat(stdout())
        .isEqualTo(
            """
            i Building 'api/Dockerfile' in b...
            #1 [1/2] FROM base
            #1 CACHED
            #2 [2/2] RUN x
            #2 DONE 0.0s
            """);
  }

  @Test
  void showsTheGatewaysNoteWhenTheTagWasNotMoved() {
    String note = "the tag " + REF + " already points at a newer build of this namespace";
    render(
        ProgressMode.PLAIN,
        List.of(state(1, succeeded("BUILT").replace("}", ",\"message\":\"" + note + "\"}"))));

    assertThat(stdout()).isEqualTo("i " + note + "\n✓ Image '" + REF + "' successfully pushed\n");
  }

  @Test
  void reportsAFailureOnStderr() {
    Optional<BuildState> state =
        render(
            ProgressMode.PLAIN,
            List.of(
                state(
                    1,
                    "{\"state\":\"FAILED\",\"error\":\"the Dockerfile step RUN false failed\"}")));

    assertThat(state).map(BuildState::state).contains("FAILED");
    assertThat(stdout()).isEmpty();
    assertThat(stderr())
        .isEqualTo("x Build of \"api\" failed: the Dockerfile step RUN false failed\n");
  }

  @Test
  void writesOneJsonObjectPerEventAndHumanLinesToStderrInJsonMode() {
    render(
        ProgressMode.JSON,
        List.of(
            state(1, "{\"state\":\"BUILDING\",\"builder\":\"b\"}"),
            progress(2, vertex("d", "RUN x", 1, 2)),
            state(3, succeeded("BUILT"))));

    assertThat(stdout().lines())
        .containsExactly(
            "{\"image\":\"api\",\"id\":\"1\",\"event\":\"state\",\"data\":{\"state\":\"BUILDING\",\"builder\":\"b\"}}",
            "{\"image\":\"api\",\"id\":\"2\",\"event\":\"progress\",\"data\":"
                + vertex("d", "RUN x", 1, 2)
                + "}",
            "{\"image\":\"api\",\"id\":\"3\",\"event\":\"state\",\"data\":"
                + succeeded("BUILT")
                + "}");
    assertThat(stderr())
        .isEqualTo(
            "i Building 'api/Dockerfile' in b...\n✓ Image '" + REF + "' successfully pushed\n");
  }

  @Test
  void coloursPrefixesOnlyForATerminalInTtyMode() {
    Console plainOnTerminal = console(ProgressMode.PLAIN, true);
    plainOnTerminal.success("x");
    Console ttyInPipe = console(ProgressMode.TTY, false);
    ttyInPipe.success("y");
    Console ttyOnTerminal = console(ProgressMode.TTY, true);
    ttyOnTerminal.success("z");

    assertThat(stdout()).isEqualTo("✓ x\n✓ y\n\u001b[32m✓\u001b[0m z\n");
  }

  private Optional<BuildState> render(ProgressMode mode, List<SseEvent> events) {
    BuildEventRenderer renderer =
        new BuildEventRenderer(
            console(mode, false), mode, "api", "api/Dockerfile", new ObjectMapper());
    Optional<BuildState> last = Optional.empty();
    for (SseEvent event : events) {
      Optional<BuildState> state = renderer.render(event);
      if (state.isPresent()) {
        last = state;
      }
    }
    return last;
  }

  private Console console(ProgressMode mode, boolean terminal) {
    return Console.forMode(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        mode,
        terminal);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String succeeded(String outcome) {
    return "{\"state\":\"SUCCEEDED\",\"outcome\":\""
        + outcome
        + "\",\"digest\":\""
        + DIGEST
        + "\",\"imageRef\":\""
        + REF
        + "\",\"cacheRef\":\""
        + CACHE
        + "\"}";
  }

  private static String vertex(String digest, String name, long started, long completed) {
    return "{\"type\":\"vertex\",\"digest\":\""
        + digest
        + "\",\"name\":\""
        + name
        + "\",\"cached\":false,\"started\":"
        + started
        + ",\"completed\":"
        + completed
        + ",\"error\":\"\"}";
  }

  private static SseEvent state(int id, String data) {
    return new SseEvent(String.valueOf(id), "state", data);
  }

  private static SseEvent progress(int id, String data) {
    return new SseEvent(String.valueOf(id), "progress", data);
  }
}
