package dev.kiln.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.events.v1.BuildArg;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.ContextRef;
import dev.kiln.events.v1.GitContext;
import dev.kiln.events.v1.Outcome;
import dev.kiln.events.v1.SecretRef;
import dev.kiln.worker.buildkit.BuildKitException;
import dev.kiln.worker.buildkit.SolveSpec;
import dev.kiln.worker.testing.Events;
import dev.kiln.worker.testing.FakeSolver;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuildRequestProcessorTest {
  private static final String CACHED =
      "sha256:9999999999999999999999999999999999999999999999999999999999999999";

  private final ProcessorFixture fixture = new ProcessorFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aHitIsSkippedWithTheCachedDigestAndAMessage() throws Exception {
    fixture.registry.withImage(Events.CACHE_REF, CACHED);

    BuildCompleted completion = fixture.process(Events.hashed("r1"));

    assertThat(completion.getOutcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(completion.getDigest()).isEqualTo(CACHED);
    assertThat(completion)
        .extracting(
            BuildCompleted::getNamespace,
            BuildCompleted::getImage,
            BuildCompleted::getTag,
            BuildCompleted::getSequence,
            BuildCompleted::getOrg,
            BuildCompleted::getRegistry,
            BuildCompleted::getCompletedAtMillis)
        .containsExactly(
            "cindy",
            "api",
            "kiln",
            7L,
            "acme",
            Events.REGISTRY,
            ProcessorFixture.NOW.toEpochMilli());
    assertThat(fixture.publisher.progressOf("r1"))
        .singleElement()
        .satisfies(p -> assertThat(p.getMessage()).contains(Events.CACHE_REF).contains(CACHED));
  }

  @Test
  void aBuildSolvesTheRequestedParametersFromASignedContextUrl() throws Exception {
    BuildHashed.Builder event = Events.hashed("r1");
    event
        .getRequestBuilder()
        .getParamsBuilder()
        .setDockerfile("docker/Dockerfile.prod")
        .setTarget("release")
        .addArgs(BuildArg.newBuilder().setName("A").setValue("1"))
        .addArgs(BuildArg.newBuilder().setName("B").setValue(""))
        .addPlatforms("linux/amd64")
        .addPlatforms("linux/arm64");

    BuildCompleted completion = fixture.process(event);

    assertThat(completion.getOutcome()).isEqualTo(Outcome.BUILT);
    assertThat(completion.getDigest()).isEqualTo(FakeSolver.DIGEST);
    SolveSpec spec = fixture.solver.specs().getFirst();
    long expires = ProcessorFixture.NOW.plus(Duration.ofHours(1)).getEpochSecond();
    assertThat(spec.contextUrl())
        .isEqualTo(
            "http://gateway.test:8480/v1/contexts/"
                + Events.CONTEXT
                + "?expires="
                + expires
                + "&sig="
                + hmac(Events.CONTEXT + "\n" + expires));
    assertThat(spec.frontendAttrs())
        .containsEntry("filename", "docker/Dockerfile.prod")
        .containsEntry("target", "release")
        .containsEntry("build-arg:A", "1")
        .containsEntry("build-arg:B", "")
        .containsEntry("platform", "linux/amd64,linux/arm64")
        .doesNotContainKey("no-cache");
    assertThat(spec.imageExporterAttrs())
        .isEqualTo(Map.of("name", Events.CACHE_REF, "push", "true"));
  }

  @Test
  void buildProgressStartsWithTheBuilderAndIsNumberedInOrder() throws Exception {
    fixture.process(Events.hashed("r1"));

    List<BuildProgress> progress = fixture.publisher.progressOf("r1");
    assertThat(progress.getFirst().getStarted().getBuilder()).isEqualTo("tcp://fake-buildkit:1234");
    assertThat(progress).extracting(BuildProgress::getSeq).containsExactly(1L, 2L, 3L);
    assertThat(progress.get(1).getVertex().getName()).isEqualTo("[1/1] COPY . /");
  }

  @Test
  void aNoCacheBuildAsksBuildKitToIgnoreItsCache() throws Exception {
    BuildHashed.Builder event = Events.hashed("r1");
    event.getRequestBuilder().getParamsBuilder().setNoCache(true);

    fixture.process(event);

    assertThat(fixture.solver.specs().getFirst().frontendAttrs()).containsEntry("no-cache", "");
  }

  @Test
  void anUnreachableRegistryServiceIsRetriedAndIsNotAMiss() throws Exception {
    fixture
        .registry
        .withImage(Events.CACHE_REF, CACHED)
        .failingWith(Status.UNAVAILABLE, Status.UNKNOWN.withDescription("boom"));

    BuildCompleted completion = fixture.process(Events.lookupOnly("r1"));

    assertThat(completion.getOutcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(fixture.registry.existsCalls()).hasSize(3);
    assertThat(fixture.pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void aRegistryServiceThatNeverAnswersFailsTheBuildWithTheReason() throws Exception {
    fixture.registry.failingWith(
        Status.UNAVAILABLE,
        Status.UNAVAILABLE,
        Status.UNAVAILABLE,
        Status.UNAVAILABLE.withDescription("connection refused"));

    BuildCompleted completion = fixture.process(Events.hashed("r1"));

    assertThat(completion.getOutcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.getError())
        .contains("tried to look up the cache image " + Events.CACHE_REF)
        .contains("fake-registry-service:8491")
        .contains("after 4 attempts")
        .contains("connection refused");
    assertThat(fixture.solver.specs()).isEmpty();
  }

  @Test
  void aRegistryServiceRefusalIsNotRetried() throws Exception {
    fixture.registry.failingWith(Status.PERMISSION_DENIED.withDescription("denied by registry"));

    BuildCompleted completion = fixture.process(Events.hashed("r1"));

    assertThat(completion.getOutcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.getError()).contains("PERMISSION_DENIED: denied by registry");
    assertThat(fixture.registry.existsCalls()).hasSize(1);
  }

  @Test
  void aFailedBuildCarriesBuildKitsMessage() throws Exception {
    fixture.solver.failingWith(
        new BuildKitException(
            BuildKitException.Kind.BUILD_FAILED,
            "tried to build x but step \"[2/2] RUN false\" failed: exit code: 1",
            null));

    BuildCompleted completion = fixture.process(Events.hashed("r1"));

    assertThat(completion.getOutcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.getError()).contains("RUN false").contains("exit code: 1");
    assertThat(fixture.solver.specs()).hasSize(1);
  }

  @Test
  void anUnreachableDaemonIsTriedAgain() throws Exception {
    fixture.solver.failingWith(
        new BuildKitException(BuildKitException.Kind.UNAVAILABLE, "connection refused", null));

    BuildCompleted completion = fixture.process(Events.hashed("r1"));

    assertThat(completion.getOutcome()).isEqualTo(Outcome.BUILT);
    assertThat(fixture.processor.solveCount()).isEqualTo(2);
  }

  @Test
  void aBuildWithSecretsFailsBeforeSolvingAndNamesThem() throws Exception {
    BuildHashed.Builder event = Events.hashed("r1");
    event
        .getRequestBuilder()
        .getParamsBuilder()
        .addSecrets(SecretRef.newBuilder().setId("npmrc").setValueSha256("ab".repeat(32)));

    BuildCompleted completion = fixture.process(event);

    assertThat(completion.getOutcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.getError()).contains("npmrc").contains("secrets are not supported yet");
    assertThat(fixture.solver.specs()).isEmpty();
  }

  @Test
  void aGitContextFailsClearly() throws Exception {
    BuildHashed.Builder event = Events.hashed("r1");
    event
        .getRequestBuilder()
        .setContext(
            ContextRef.newBuilder()
                .setGit(
                    GitContext.newBuilder().setUrl("https://example.test/r.git").setCommit("abc")));

    BuildCompleted completion = fixture.process(event);

    assertThat(completion.getOutcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.getError()).contains("git context");
  }

  @Test
  void anEventWithABrokenHashFailsWithoutLookingAnythingUp() throws Exception {
    BuildCompleted completion = fixture.process(Events.hashed("r1").setHash("not-a-hash"));

    assertThat(completion.getOutcome()).isEqualTo(Outcome.FAILED);
    assertThat(completion.getError()).isNotEmpty();
    assertThat(completion.getHash()).isEqualTo("not-a-hash");
    assertThat(fixture.registry.existsCalls()).isEmpty();
  }

  @Test
  void aDuplicateEventOfABuiltRequestIsNotAFailure() throws Exception {
    fixture.process(Events.hashed("r1"));
    fixture.registry.withImage(Events.CACHE_REF, FakeSolver.DIGEST);

    BuildCompleted again = fixture.process(Events.hashed("r1"));

    assertThat(again.getOutcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(again.getDigest()).isEqualTo(FakeSolver.DIGEST);
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(ProcessorFixture.SECRET, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
