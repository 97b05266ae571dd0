package dev.kiln.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.Outcome;
import dev.kiln.worker.testing.Events;
import dev.kiln.worker.testing.FakeSolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every combination of cache hit, context, --no-cache, Smart Builds and verified hash, and what the
 * worker does with it.
 */
class DecisionTableTest {
  private static final String CACHED =
      "sha256:9999999999999999999999999999999999999999999999999999999999999999";

  private final ProcessorFixture fixture = new ProcessorFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @ParameterizedTest(
      name = "hit={0} context={1} noCache={2} smart={3} verified={4} -> {5}, lookup={6}")
  @CsvSource({
    // hit, context, noCache, smart, verified, outcome, looked up
    "true,  true,  false, true,  true,  SKIPPED,       true",
    "true,  true,  false, true,  false, SKIPPED,       true",
    "true,  false, false, true,  true,  SKIPPED,       true",
    "true,  false, false, true,  false, SKIPPED,       true",
    "false, true,  false, true,  true,  BUILT,         true",
    "false, true,  false, true,  false, NEEDS_CONTEXT, true",
    "false, false, false, true,  true,  NEEDS_CONTEXT, true",
    "false, false, false, true,  false, NEEDS_CONTEXT, true",
    // --no-cache: never skip, never look up
    "true,  true,  true,  true,  true,  BUILT,         false",
    "true,  true,  true,  true,  false, NEEDS_CONTEXT, false",
    "true,  false, true,  true,  true,  NEEDS_CONTEXT, false",
    "true,  false, true,  true,  false, NEEDS_CONTEXT, false",
    "false, true,  true,  true,  true,  BUILT,         false",
    "false, true,  true,  true,  false, NEEDS_CONTEXT, false",
    "false, false, true,  true,  true,  NEEDS_CONTEXT, false",
    "false, false, true,  true,  false, NEEDS_CONTEXT, false",
    // Smart Builds off: same as --no-cache for the decision
    "true,  true,  false, false, true,  BUILT,         false",
    "true,  true,  false, false, false, NEEDS_CONTEXT, false",
    "true,  false, false, false, true,  NEEDS_CONTEXT, false",
    "true,  false, false, false, false, NEEDS_CONTEXT, false",
    "false, true,  false, false, true,  BUILT,         false",
    "false, true,  false, false, false, NEEDS_CONTEXT, false",
    "false, false, false, false, true,  NEEDS_CONTEXT, false",
    "false, false, false, false, false, NEEDS_CONTEXT, false",
    "true,  true,  true,  false, true,  BUILT,         false",
    "true,  true,  true,  false, false, NEEDS_CONTEXT, false",
    "true,  false, true,  false, true,  NEEDS_CONTEXT, false",
    "true,  false, true,  false, false, NEEDS_CONTEXT, false",
    "false, true,  true,  false, true,  BUILT,         false",
    "false, true,  true,  false, false, NEEDS_CONTEXT, false",
    "false, false, true,  false, true,  NEEDS_CONTEXT, false",
    "false, false, true,  false, false, NEEDS_CONTEXT, false",
  })
  void decides(
      boolean hit,
      boolean context,
      boolean noCache,
      boolean smart,
      boolean verified,
      Outcome expected,
      boolean lookedUp)
      throws Exception {
    if (hit) {
      fixture.registry.withImage(Events.CACHE_REF, CACHED);
    }
    BuildHashed.Builder event = Events.hashed("r1").setVerified(verified);
    event.getRequestBuilder().setSmartBuilds(smart).getParamsBuilder().setNoCache(noCache);
    if (!context) {
      event.getRequestBuilder().clearContext();
    }

    BuildCompleted completion = fixture.process(event);

    assertThat(completion.getOutcome()).isEqualTo(expected);
    assertThat(fixture.registry.existsCalls()).hasSize(lookedUp ? 1 : 0);
    assertThat(fixture.solver.specs()).hasSize(expected == Outcome.BUILT ? 1 : 0);
    assertThat(completion.getDigest())
        .isEqualTo(
            switch (expected) {
              case SKIPPED -> CACHED;
              case BUILT -> FakeSolver.DIGEST;
              default -> "";
            });
    assertThat(completion.getCacheRef()).isEqualTo(Events.CACHE_REF);
    assertThat(completion.getHash()).isEqualTo(Events.HASH);
    assertThat(completion.getError()).isEmpty();
  }
}
