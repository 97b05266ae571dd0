package dev.kiln.worker.build;

import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.testkit.MutableClock;
import dev.kiln.worker.testing.FakeRegistry;
import dev.kiln.worker.testing.FakeSolver;
import dev.kiln.worker.testing.RecordingPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A processor wired to fakes: in-process registry-service, fake solver, recording publisher. */
final class ProcessorFixture implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

  final FakeRegistry registry = new FakeRegistry();
  final FakeSolver solver = new FakeSolver();
  final RecordingPublisher publisher = new RecordingPublisher();
  final List<Duration> pauses = new CopyOnWriteArrayList<>();
  final ExecutorService solveExecutor = Executors.newFixedThreadPool(2);
  final MutableClock clock = new MutableClock(NOW);
  final BuildRequestProcessor processor;

  ProcessorFixture() {
    Backoff backoff = new Backoff(4, Duration.ofMillis(100), Duration.ofSeconds(1), pauses::add);
    processor =
        new BuildRequestProcessor(
            new CacheLookup(
                RegistryGrpc.newBlockingStub(registry.channel()),
                "fake-registry-service:8491",
                Duration.ofSeconds(5),
                backoff),
            new SolveRunner(solver, Duration.ofMinutes(5), backoff),
            publisher,
            new ContextLinks("http://gateway.test:8480/", SECRET, Duration.ofHours(1), clock),
            solveExecutor,
            clock);
  }

  CompletableFuture<Void> start(BuildHashed.Builder event) {
    return processor.process(event.build());
  }

  BuildCompleted process(BuildHashed.Builder event) throws Exception {
    start(event).get(30, TimeUnit.SECONDS);
    String id = event.getRequest().getRequestId();
    return publisher.completions().stream()
        .filter(c -> c.getRequestId().equals(id))
        .reduce((first, second) -> second)
        .orElseThrow();
  }

  @Override
  public void close() {
    solver.release();
    solveExecutor.shutdownNow();
    registry.close();
  }
}
