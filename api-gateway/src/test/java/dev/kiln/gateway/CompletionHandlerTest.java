package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.events.v1.Outcome;
import dev.kiln.gateway.FakeRetagger.Call;
import dev.kiln.gateway.completion.LastBuildRepository.LastBuild;
import dev.kiln.gateway.completion.RetagException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tag updater against the real database: compare-and-set, retag, idempotency. */
class CompletionHandlerTest {
  private static TestGateway gw;
  private static String cindy;
  private int imageCounter;
  private String image;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(CompletionHandlerTest.class);
    cindy = gw.token("acme", "cindy");
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @BeforeEach
  void freshImage() {
    gw.retagger().clearFailures();
    image = "img" + UUID.randomUUID().toString().substring(0, 8) + (imageCounter++);
  }

  @Test
  void tagFollowsTheHighestSequenceWhateverTheCompletionOrder() {
    String first = newBuild();
    String second = newBuild();

    gw.completions().handle(Builds.done(second, Outcome.BUILT, Builds.HASH_B, Builds.DIGEST_2));
    gw.completions().handle(Builds.done(first, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));

    LastBuild last = lastBuild();
    assertThat(last.buildId().toString()).isEqualTo(second);
    assertThat(last.sequence()).isEqualTo(2);
    assertThat(last.digest()).isEqualTo(Builds.DIGEST_2);
    assertThat(retagsOf(image))
        .containsExactly(
            new Call(
                TestGateway.REGISTRY + "/kiln/api:" + Builds.HASH_B + "@" + Builds.DIGEST_2,
                TestGateway.REGISTRY + "/cindy/" + image + ":kiln",
                Builds.DIGEST_2));
    JsonNode older = build(first);
    assertThat(older.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(older.path("message").asText()).contains("newer build");
    assertThat(build(second).path("message").isNull()).isTrue();
    assertThat(build(second).path("outcome").asText()).isEqualTo("BUILT");
    assertThat(build(second).path("digest").asText()).isEqualTo(Builds.DIGEST_2);
  }

  @Test
  void completionsInOrderMoveTheTagEachTime() {
    String first = newBuild();
    String second = newBuild();

    gw.completions().handle(Builds.done(first, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));
    gw.completions().handle(Builds.done(second, Outcome.SKIPPED, Builds.HASH_B, Builds.DIGEST_2));

    assertThat(lastBuild().buildId().toString()).isEqualTo(second);
    assertThat(retagsOf(image))
        .extracting(Call::expectedDigest)
        .containsExactly(Builds.DIGEST_1, Builds.DIGEST_2);
    assertThat(build(second).path("outcome").asText()).isEqualTo("SKIPPED");
  }

  @Test
  void replayedCompletionRetagsAgainButChangesNothing() {
    String first = newBuild();
    String second = newBuild();
    gw.completions().handle(Builds.done(second, Outcome.BUILT, Builds.HASH_B, Builds.DIGEST_2));
    gw.completions().handle(Builds.done(first, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));
    List<String> eventsBefore = events(second);
    JsonNode before = build(second);

    gw.completions().handle(Builds.done(second, Outcome.BUILT, Builds.HASH_B, Builds.DIGEST_2));
    gw.completions().handle(Builds.done(first, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));

    assertThat(events(second)).isEqualTo(eventsBefore);
    assertThat(build(second)).isEqualTo(before);
    assertThat(lastBuild().buildId().toString()).isEqualTo(second);
    assertThat(retagsOf(image))
        .extracting(Call::expectedDigest)
        .containsExactly(Builds.DIGEST_2, Builds.DIGEST_2);
  }

  @Test
  void retryableRetagFailuresAreRetried() {
    String id = newBuild();
    gw.retagger().failWith(new RetagException("UNAVAILABLE: registry down", true, null), 2);

    gw.completions().handle(Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));

    assertThat(retagsOf(image)).hasSize(3);
    assertThat(build(id).path("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void permanentRetagFailureFailsTheBuildAndLeavesTheTagRecordAlone() {
    String id = newBuild();
    gw.retagger()
        .failWith(new RetagException("FAILED_PRECONDITION: digest mismatch", false, null), 1);

    gw.completions().handle(Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));

    JsonNode build = build(id);
    assertThat(build.path("state").asText()).isEqualTo("FAILED");
    assertThat(build.path("error").asText())
        .contains("digest mismatch")
        .contains(TestGateway.REGISTRY + "/cindy/" + image + ":kiln");
    assertThat(gw.lastBuilds().find("acme", "cindy", image, "kiln")).isEmpty();
    assertThat(retagsOf(image)).hasSize(1);
  }

  @Test
  void retagGivesUpAfterItsAttempts() {
    String id = newBuild();
    gw.retagger().failWith(new RetagException("UNAVAILABLE: still down", true, null), 10);

    gw.completions().handle(Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));

    assertThat(retagsOf(image)).hasSize(3);
    assertThat(build(id).path("error").asText()).contains("still down");
  }

  @Test
  void failedCompletionFailsTheBuildOnce() {
    String id = newBuild();
    var failed =
        Builds.completion(id, Outcome.FAILED)
            .setError("failed to solve: process \"/bin/sh -c exit 3\" did not complete")
            .build();

    gw.completions().handle(failed);
    List<String> events = events(id);
    gw.completions().handle(failed);

    assertThat(build(id).path("state").asText()).isEqualTo("FAILED");
    assertThat(build(id).path("error").asText()).contains("exit 3");
    assertThat(events(id)).isEqualTo(events);
    assertThat(events).last().asString().contains("\"FAILED\"");
  }

  @Test
  void needsContextIsIgnoredOnceAContextIsAttached() {
    String id = newBuild();
    gw.completions()
        .handle(Builds.completion(id, Outcome.NEEDS_CONTEXT).setHash(Builds.HASH_A).build());
    assertThat(build(id).path("state").asText()).isEqualTo("NEEDS_CONTEXT");
    byte[] tar = Tars.simpleContext();
    String digest = Tars.digest(tar).toString();
    gw.sendBytes("PUT", "/v1/contexts/" + digest, cindy, tar);
    gw.send("POST", "/v1/builds/" + id + "/context", cindy, Map.of("contextDigest", digest));

    gw.completions()
        .handle(Builds.completion(id, Outcome.NEEDS_CONTEXT).setHash(Builds.HASH_A).build());

    assertThat(build(id).path("state").asText()).isEqualTo("QUEUED");
    assertThat(build(id).path("contextDigest").asText()).isEqualTo(digest);
  }

  @Test
  void completionOfAnUnknownBuildIsIgnored() {
    gw.completions()
        .handle(
            Builds.done(
                UUID.randomUUID().toString(), Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));
    gw.completions()
        .handle(Builds.done("not-a-uuid", Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));
  }

  @Test
  void unusableDigestFailsTheBuild() {
    String id = newBuild();

    gw.completions().handle(Builds.done(id, Outcome.BUILT, Builds.HASH_A, "sha256:nope"));

    assertThat(build(id).path("state").asText()).isEqualTo("FAILED");
    assertThat(build(id).path("error").asText()).contains("unusable result");
  }

  @Test
  void completionThatOvertakesItsProgressIsRecordedAfterIt() throws Exception {
    String id = newBuild();
    var done =
        Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1).toBuilder()
            .setProgressCount(2)
            .build();

    Thread completing = Thread.ofVirtual().start(() -> gw.completions().handle(done));
    assertThat(completing.join(java.time.Duration.ofMillis(300)))
        .as("the completion waits for its progress")
        .isFalse();
    for (int seq = 1; seq <= 2; seq++) {
      gw.progress()
          .handle(
              dev.kiln.events.v1.BuildProgress.newBuilder()
                  .setRequestId(id)
                  .setSeq(seq)
                  .setMessage("step " + seq)
                  .build(),
              "test-" + seq);
    }
    assertThat(completing.join(java.time.Duration.ofSeconds(10))).isTrue();

    List<String> log = events(id);
    assertThat(log.get(log.size() - 1)).startsWith("state").contains("SUCCEEDED");
    assertThat(log).anySatisfy(event -> assertThat(event).contains("step 2"));
  }

  private String newBuild() {
    return gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", image))
        .json()
        .path("id")
        .asText();
  }

  private LastBuild lastBuild() {
    return gw.lastBuilds().find("acme", "cindy", image, "kiln").orElseThrow();
  }

  private static List<Call> retagsOf(String image) {
    return gw.retagger().calls().stream()
        .filter(c -> c.target().endsWith("/" + image + ":kiln"))
        .toList();
  }

  private static JsonNode build(String id) {
    return gw.send("GET", "/v1/builds/" + id, cindy, null).json();
  }

  static List<String> events(String id) {
    return gw.builds()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT kind || ' ' || payload::text FROM build_events"
                            + " WHERE build_id = :id ORDER BY seq")
                    .bind("id", UUID.fromString(id))
                    .mapTo(String.class)
                    .list());
  }
}
