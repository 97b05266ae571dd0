package dev.kiln.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.BuildStarted;
import dev.kiln.events.v1.LogLine;
import dev.kiln.events.v1.Outcome;
import dev.kiln.events.v1.VertexUpdate;
import dev.kiln.gateway.SseReader.Frame;
import dev.kiln.gateway.http.Json;
import dev.kiln.testkit.MutableClock;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventStreamTest {
  private static final Duration GUARD = Duration.ofSeconds(20);
  private static final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private static TestGateway gw;
  private static String cindy;

  @BeforeAll
  static void start() {
    gw = TestGateway.start(EventStreamTest.class, clock);
    cindy = gw.token("acme", "cindy");
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void replaysTheWholeBuildAndEndsAfterSuccess() throws Exception {
    String id = newBuild();
    progress(
        id,
        1,
        BuildProgress.newBuilder()
            .setStarted(BuildStarted.newBuilder().setBuilder("tcp://127.0.0.1:11234")));
    progress(
        id,
        2,
        BuildProgress.newBuilder()
            .setVertex(
                VertexUpdate.newBuilder()
                    .setDigest("sha256:v1")
                    .setName("[1/2] RUN make")
                    .setStartedMillis(1000)));
    progress(
        id,
        3,
        BuildProgress.newBuilder()
            .setLog(
                LogLine.newBuilder()
                    .setVertex("sha256:v1")
                    .setStream(1)
                    .setData(ByteString.copyFrom("hello\u0000world\n", StandardCharsets.UTF_8))));
    progress(id, 4, BuildProgress.newBuilder().setMessage("pushing"));
    gw.completions().handle(Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));

    List<Frame> frames = readAll(id, null);

    assertThat(frames)
        .extracting(Frame::event)
        .containsExactly("state", "state", "progress", "progress", "progress", "state");
    assertThat(frames).extracting(f -> Long.parseLong(f.id())).isSorted();
    assertThat(json(frames.get(0)).path("state").asText()).isEqualTo("QUEUED");
    assertThat(json(frames.get(1)).path("state").asText()).isEqualTo("BUILDING");
    assertThat(json(frames.get(1)).path("builder").asText()).isEqualTo("tcp://127.0.0.1:11234");
    JsonNode vertex = json(frames.get(2));
    assertThat(vertex.path("type").asText()).isEqualTo("vertex");
    assertThat(vertex.path("name").asText()).isEqualTo("[1/2] RUN make");
    assertThat(vertex.path("started").asLong()).isEqualTo(1000);
    assertThat(vertex.path("completed").isNull()).isTrue();
    JsonNode log = json(frames.get(3));
    assertThat(log.path("type").asText()).isEqualTo("log");
    assertThat(log.path("stream").asInt()).isEqualTo(1);
    assertThat(log.path("text").asText()).isEqualTo("hello\uFFFDworld\n");
    assertThat(json(frames.get(4)).path("text").asText()).isEqualTo("pushing");
    JsonNode done = json(frames.get(5));
    assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.path("outcome").asText()).isEqualTo("BUILT");
    assertThat(done.path("digest").asText()).isEqualTo(Builds.DIGEST_1);
    assertThat(done.path("hash").asText()).isEqualTo(Builds.HASH_A);
    assertThat(done.path("imageRef").asText()).isEqualTo("127.0.0.1:5100/cindy/sse:kiln");
    assertThat(done.path("cacheRef").asText())
        .isEqualTo("127.0.0.1:5100/kiln/api:" + Builds.HASH_A);
  }

  @Test
  void redeliveredProgressIsStoredOnce() throws Exception {
    String id = newBuild();
    BuildProgress message =
        BuildProgress.newBuilder().setRequestId(id).setSeq(1).setMessage("once").build();
    gw.progress().handle(message, "build.progress/0/77");
    gw.progress().handle(message, "build.progress/0/77");
    gw.completions().handle(Builds.completion(id, Outcome.FAILED).setError("boom").build());

    List<Frame> frames = readAll(id, null);

    assertThat(frames).extracting(Frame::event).containsExactly("state", "progress", "state");
    assertThat(json(frames.get(2)).path("error").asText()).isEqualTo("boom");
  }

  @Test
  void tailsLiveEventsAndResumesAfterNeedsContext() throws Exception {
    String id = newBuild();
    List<Frame> live = new ArrayList<>();
    assertTimeoutPreemptively(
        GUARD,
        () -> {
          try (SseReader sse = open(id, null)) {
            live.add(sse.next());
            gw.completions()
                .handle(
                    Builds.completion(id, Outcome.NEEDS_CONTEXT).setHash(Builds.HASH_A).build());
            live.add(sse.next());
            assertThat(sse.next()).isNull();
          }
        });
    assertThat(live)
        .extracting(f -> json(f).path("state").asText())
        .containsExactly("QUEUED", "NEEDS_CONTEXT");

    byte[] tar = Tars.simpleContext();
    String digest = Tars.digest(tar).toString();
    gw.sendBytes("PUT", "/v1/contexts/" + digest, cindy, tar);
    gw.send(
        "POST", "/v1/builds/" + id + "/context", cindy, java.util.Map.of("contextDigest", digest));
    gw.completions().handle(Builds.done(id, Outcome.BUILT, Builds.HASH_A, Builds.DIGEST_1));

    List<Frame> resumed = readAll(id, live.get(1).id());

    assertThat(resumed)
        .extracting(f -> json(f).path("state").asText())
        .containsExactly("QUEUED", "SUCCEEDED");
  }

  @Test
  void resumingAfterTheFinalEventEndsAtOnce() throws Exception {
    String id = newBuild();
    gw.completions().handle(Builds.done(id, Outcome.SKIPPED, Builds.HASH_A, Builds.DIGEST_1));
    List<Frame> all = readAll(id, null);

    List<Frame> after = readAll(id, all.get(all.size() - 1).id());

    assertThat(after).isEmpty();
  }

  @Test
  void sendsHeartbeatsWhileNothingHappens() throws Exception {
    String id = newBuild();
    assertTimeoutPreemptively(
        GUARD,
        () -> {
          try (SseReader sse = open(id, null)) {
            assertThat(sse.next().event()).isEqualTo("state");
            clock.advance(Duration.ofSeconds(16));
            assertThat(sse.next().comment()).isEqualTo("heartbeat");
            gw.completions().handle(Builds.completion(id, Outcome.FAILED).setError("x").build());
            assertThat(sse.next().event()).isEqualTo("state");
            assertThat(sse.next()).isNull();
          }
        });
  }

  @Test
  void malformedLastEventIdIsRejected() {
    String id = newBuild();

    var response =
        gw.send(
            gw.request("/v1/builds/" + id + "/events", cindy).header("Last-Event-ID", "abc").GET());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error()).contains("Last-Event-ID");
  }

  @Test
  void replayReachesFailedAfterARejectedUploadForABuildThatNeededAContext() throws Exception {
    String id = newBuild();
    gw.completions()
        .handle(Builds.completion(id, Outcome.NEEDS_CONTEXT).setHash(Builds.HASH_A).build());
    byte[] notATar = "not a tar archive at all".repeat(40).getBytes(StandardCharsets.UTF_8);
    TestGateway.Response upload =
        gw.sendBytes(
            "PUT", "/v1/contexts/" + Tars.digest(notATar) + "?build=" + id, cindy, notATar);

    List<Frame> frames = readAll(id, null);

    assertThat(upload.status()).isEqualTo(400);
    assertThat(frames)
        .extracting(f -> json(f).path("state").asText())
        .containsExactly("QUEUED", "NEEDS_CONTEXT", "FAILED");
    JsonNode failed = json(frames.getLast());
    assertThat(failed.path("outcome").asText()).isEqualTo("FAILED");
    assertThat(failed.path("error").asText()).contains("rejected");
  }

  private static List<Frame> readAll(String id, String lastEventId) throws Exception {
    List<Frame> frames = new ArrayList<>();
    assertTimeoutPreemptively(
        GUARD,
        () -> {
          try (SseReader sse = open(id, lastEventId)) {
            for (Frame frame = sse.next(); frame != null; frame = sse.next()) {
              if (frame.comment() == null) {
                frames.add(frame);
              }
            }
          }
        });
    return frames;
  }

  private static SseReader open(String id, String lastEventId) throws Exception {
    HttpRequest.Builder request = gw.request("/v1/builds/" + id + "/events", cindy).GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        gw.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    return new SseReader(response.body());
  }

  private static void progress(String id, long seq, BuildProgress.Builder update) {
    gw.progress().handle(update.setRequestId(id).setSeq(seq).build(), "test/" + id + "/" + seq);
  }

  private static String newBuild() {
    return gw.send("POST", "/v1/builds", cindy, Builds.request("cindy", "sse"))
        .json()
        .path("id")
        .asText();
  }

  private static JsonNode json(Frame frame) {
    try {
      return Json.MAPPER.readTree(frame.data());
    } catch (Exception e) {
      throw new IllegalStateException(frame.toString(), e);
    }
  }
}
