package dev.kiln.worker.buildkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.worker.testing.ContextServer;
import dev.kiln.worker.testing.StackForTests;
import dev.kiln.worker.testing.TestTar;
import io.grpc.Deadline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs real solves on the stack's BuildKit daemon, pushing to the stack's registry. */
class BuildKitClientIntegrationTest {
  private static ContextServer contexts;
  private static BuildKitClient client;

  @BeforeAll
  static void connect() {
    StackForTests.requireReachable();
    contexts = new ContextServer();
    client = BuildKitClient.connect(BuildKitAddress.parse(StackForTests.buildkitAddr()));
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.close();
    }
    if (contexts != null) {
      contexts.close();
    }
  }

  @Test
  void buildsFromAnHttpTarAndPushesTheImageUnderTheRequestedTag() throws Exception {
    String tag = uniqueTag();
    String url =
        contexts.serve(
            "/ctx/" + tag,
            new TestTar()
                .file("docker/Dockerfile.kiln", "FROM scratch\nARG GREETING\nCOPY hello.txt /\n")
                .file("hello.txt", "hello " + tag + "\n")
                .bytes());
    String pushRef = StackForTests.registry() + "/kiln-worker-test/scratch:" + tag;
    List<BuildKitProgress> progress = new CopyOnWriteArrayList<>();

    SolveResult result =
        client.solve(
            new SolveSpec(
                url,
                "docker/Dockerfile.kiln",
                "",
                new TreeMap<>(Map.of("GREETING", "hi")),
                List.of("linux/amd64"),
                false,
                pushRef),
            progress::add,
            Deadline.after(2, TimeUnit.MINUTES));

    assertThat(result.imageDigest()).matches("sha256:[0-9a-f]{64}");
    assertThat(StackForTests.manifestDigest("kiln-worker-test/scratch", tag))
        .contains(result.imageDigest());
    assertThat(progress)
        .filteredOn(BuildKitProgress.VertexChanged.class::isInstance)
        .map(p -> ((BuildKitProgress.VertexChanged) p).name())
        .anySatisfy(name -> assertThat(name).contains("COPY hello.txt"));
    assertThat(progress)
        .filteredOn(BuildKitProgress.VertexChanged.class::isInstance)
        .map(p -> (BuildKitProgress.VertexChanged) p)
        .anySatisfy(v -> assertThat(v.completed()).isNotNull());
  }

  @Test
  void aFailingRunStepFailsWithTheStepAndBuildKitsMessageAndItsLogsArrive() throws Exception {
    String tag = uniqueTag();
    String url =
        contexts.serve(
            "/ctx/" + tag,
            new TestTar()
                .file(
                    "Dockerfile",
                    "FROM scratch\n"
                        + "COPY busybox /bin/busybox\n"
                        + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo boom-"
                        + tag
                        + " >&2; exit 3\"]\n")
                .file("busybox", Files.readAllBytes(Path.of("/bin/busybox")), true)
                .bytes());
    List<BuildKitProgress> progress = new CopyOnWriteArrayList<>();

    assertThatThrownBy(
            () ->
                client.solve(
                    new SolveSpec(
                        url,
                        "Dockerfile",
                        "",
                        null,
                        null,
                        true,
                        StackForTests.registry() + "/kiln-worker-test/fails:" + tag),
                    progress::add,
                    Deadline.after(2, TimeUnit.MINUTES)))
        .isInstanceOfSatisfying(
            BuildKitException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(BuildKitException.Kind.BUILD_FAILED);
              assertThat(e.getMessage())
                  .contains("RUN [\"/bin/busybox\"")
                  .contains("exit code: 3")
                  .contains("fix that step");
            });
    assertThat(progress)
        .filteredOn(BuildKitProgress.Log.class::isInstance)
        .map(p -> new String(((BuildKitProgress.Log) p).data(), StandardCharsets.UTF_8))
        .anySatisfy(text -> assertThat(text).contains("boom-" + tag));
  }

  @Test
  void anUnknownInstructionFailsWithTheDockerfileParsersMessage() {
    String tag = uniqueTag();
    String url =
        contexts.serve(
            "/ctx/" + tag, new TestTar().file("Dockerfile", "FROM scratch\nBOGUS x\n").bytes());

    assertThatThrownBy(() -> solve(url, tag))
        .isInstanceOf(BuildKitException.class)
        .hasMessageContaining("unknown instruction: BOGUS");
  }

  @Test
  void aMissingBaseImageFailsNamingTheImage() {
    String tag = uniqueTag();
    String base = StackForTests.registry() + "/kiln-worker-test/no-such-base:" + tag;
    String url =
        contexts.serve(
            "/ctx/" + tag, new TestTar().file("Dockerfile", "FROM " + base + "\n").bytes());

    assertThatThrownBy(() -> solve(url, tag))
        .isInstanceOf(BuildKitException.class)
        .hasMessageContaining(base)
        .hasMessageContaining("not found");
  }

  private static SolveResult solve(String url, String tag) {
    return client.solve(
        new SolveSpec(
            url,
            "Dockerfile",
            "",
            null,
            null,
            false,
            StackForTests.registry() + "/kiln-worker-test/fails:" + tag),
        ProgressListener.NONE,
        Deadline.after(2, TimeUnit.MINUTES));
  }

  private static String uniqueTag() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
