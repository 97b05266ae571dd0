package dev.kiln.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.Outcome;
import dev.kiln.worker.buildkit.BuildKitException;
import dev.kiln.worker.testing.Events;
import dev.kiln.worker.testing.FakeSolver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private final ProcessorFixture fixture = new ProcessorFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void requestsForTheSameHashWhileItBuildsShareOneSolve() throws Exception {
    fixture.solver.held();
    CompletableFuture<Void> first = fixture.start(Events.hashed("first"));
    assertThat(fixture.solver.awaitStarted()).isTrue();
    CompletableFuture<Void> second = fixture.start(Events.hashed("second"));
    CompletableFuture<Void> third = fixture.start(Events.hashed("third"));

    fixture.solver.release();
    CompletableFuture.allOf(first, second, third).get(30, TimeUnit.SECONDS);

    assertThat(fixture.solver.specs()).hasSize(1);
    assertThat(fixture.processor.solveCount()).isEqualTo(1);
    assertThat(fixture.publisher.completions())
        .extracting(
            BuildCompleted::getRequestId, BuildCompleted::getOutcome, BuildCompleted::getDigest)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("first", Outcome.BUILT, FakeSolver.DIGEST),
            org.assertj.core.groups.Tuple.tuple("second", Outcome.BUILT, FakeSolver.DIGEST),
            org.assertj.core.groups.Tuple.tuple("third", Outcome.BUILT, FakeSolver.DIGEST));
  }

  @Test
  void anAttachedRequestIsToldItJoinedAndGetsTheRestOfTheProgress() throws Exception {
    fixture.solver.held();
    CompletableFuture<Void> first = fixture.start(Events.hashed("first"));
    assertThat(fixture.solver.awaitStarted()).isTrue();
    CompletableFuture<Void> second = fixture.start(Events.hashed("second"));

    fixture.solver.release();
    CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);

    assertThat(fixture.publisher.progressOf("second"))
        .extracting(BuildProgress::getUpdateCase)
        .containsExactly(
            BuildProgress.UpdateCase.STARTED,
            BuildProgress.UpdateCase.MESSAGE,
            BuildProgress.UpdateCase.VERTEX);
    assertThat(fixture.publisher.progressOf("second").get(1).getMessage()).contains("joined");
    assertThat(fixture.publisher.progressOf("second").get(2).getVertex().getCompletedMillis())
        .isPositive();
    assertThat(fixture.publisher.progressOf("second"))
        .extracting(BuildProgress::getSeq)
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void aFailedSharedSolveFailsEveryAttachedRequestWithItsReason() throws Exception {
    fixture
        .solver
        .held()
        .failingWith(
            new BuildKitException(
                BuildKitException.Kind.BUILD_FAILED, "step RUN make failed", null));
    CompletableFuture<Void> first = fixture.start(Events.hashed("first"));
    assertThat(fixture.solver.awaitStarted()).isTrue();
    CompletableFuture<Void> second = fixture.start(Events.hashed("second"));

    fixture.solver.release();
    CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);

    assertThat(fixture.publisher.completions())
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.getOutcome()).isEqualTo(Outcome.FAILED);
              assertThat(c.getError()).isEqualTo("step RUN make failed");
            });
    assertThat(fixture.solver.specs()).hasSize(1);
  }

  @Test
  void aRequestAfterTheSolveEndedStartsAfreshInsteadOfReusingIt() throws Exception {
    BuildCompleted first =
        fixture.process(
            Events.hashed("first")
                .setRequest(Events.hashed("first").getRequestBuilder().setSmartBuilds(false)));
    BuildCompleted second =
        fixture.process(
            Events.hashed("second")
                .setRequest(Events.hashed("second").getRequestBuilder().setSmartBuilds(false)));

    assertThat(first.getOutcome()).isEqualTo(Outcome.BUILT);
    assertThat(second.getOutcome()).isEqualTo(Outcome.BUILT);
    assertThat(fixture.solver.specs()).hasSize(2);
  }

  @Test
  void aNoCacheRequestDoesNotJoinABuildThatMayUseTheCache() throws Exception {
    fixture.solver.held();
    CompletableFuture<Void> cached = fixture.start(Events.hashed("cached"));
    assertThat(fixture.solver.awaitStarted()).isTrue();
    var noCache = Events.hashed("fresh");
    noCache.getRequestBuilder().getParamsBuilder().setNoCache(true);
    CompletableFuture<Void> fresh = fixture.start(noCache);

    fixture.solver.release();
    CompletableFuture.allOf(cached, fresh).get(30, TimeUnit.SECONDS);

    assertThat(fixture.solver.specs())
        .extracting(s -> s.noCache())
        .containsExactlyInAnyOrder(false, true);
  }

  @Test
  void aRequestWhoseLookupMissedJustBeforeThePushReusesTheResult() throws Exception {
    // the fake solver does not push, so the second lookup misses as if it ran just before the push
    BuildCompleted first = fixture.process(Events.hashed("first"));
    BuildCompleted second = fixture.process(Events.hashed("second"));

    assertThat(first.getOutcome()).isEqualTo(Outcome.BUILT);
    assertThat(second.getOutcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(second.getDigest()).isEqualTo(FakeSolver.DIGEST);
    assertThat(fixture.solver.specs()).hasSize(1);
    assertThat(fixture.publisher.progressOf("second").getLast().getMessage())
        .contains("just built");
  }

  @Test
  void aLandedResultIsNotReusedOnceItIsOld() throws Exception {
    fixture.process(Events.hashed("first"));
    fixture.clock.advance(java.time.Duration.ofMinutes(2));

    BuildCompleted later = fixture.process(Events.hashed("later"));

    assertThat(later.getOutcome()).isEqualTo(Outcome.BUILT);
    assertThat(fixture.solver.specs()).hasSize(2);
  }

  @Test
  void aFailedSolveIsNotReused() throws Exception {
    fixture.solver.failingWith(
        new BuildKitException(BuildKitException.Kind.BUILD_FAILED, "broken", null));
    fixture.process(Events.hashed("first"));

    BuildCompleted retry = fixture.process(Events.hashed("retry"));

    assertThat(retry.getOutcome()).isEqualTo(Outcome.BUILT);
    assertThat(fixture.solver.specs()).hasSize(2);
  }
}
