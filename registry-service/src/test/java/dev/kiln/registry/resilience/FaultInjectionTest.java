package dev.kiln.registry.resilience;

import static dev.kiln.registry.testing.FaultProxy.method;
import static dev.kiln.registry.testing.ServiceHarness.exists;
import static dev.kiln.registry.testing.ServiceHarness.retag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.RegistryService;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.testing.FaultProxy;
import dev.kiln.registry.testing.FaultProxy.Answer;
import dev.kiln.registry.testing.FaultProxy.Delay;
import dev.kiln.registry.testing.FaultProxy.Drop;
import dev.kiln.registry.testing.RecordingSleeper;
import dev.kiln.registry.testing.RegistryProcess;
import dev.kiln.registry.testing.ServiceHarness;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestContent.Image;
import dev.kiln.registry.testing.TestPusher;
import dev.kiln.testkit.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gRPC service against the real Distribution registry behind a proxy that injects 401, 429,
 * 5xx, slow answers and dropped connections: the status codes callers see, the retries, and the
 * caller's deadline ending them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionTest {

  private static final Predicate<String> MANIFEST_HEAD = method("HEAD", "/manifests/");
  private static final RetryPolicy QUICK =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30));

  private final Image api = TestContent.ociImage("faults", "amd64");
  private RegistryProcess registry;
  private FaultProxy proxy;
  private MutableClock clock;
  private RecordingSleeper sleeper;
  private ServiceHarness service;

  @BeforeAll
  void startRegistry() throws Exception {
    registry = RegistryProcess.start();
    new TestPusher(registry.host()).push("kiln/api", "v1", api);
  }

  @AfterAll
  void stopRegistry() {
    registry.close();
  }

  @BeforeEach
  void startProxy() throws Exception {
    proxy = new FaultProxy(registry.host());
    clock = new MutableClock();
    sleeper = new RecordingSleeper(clock);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    proxy.close();
  }

  @Test
  void anInjected401IsUnauthenticatedNeverAbsentAndNotRetried() {
    proxy.next(MANIFEST_HEAD, new Answer(401, Map.of()));
    start(QUICK, HostBreakers.Settings.defaults(), sleeper);

    assertCode(
        () -> service.stub().exists(exists(ref("kiln/api:v1"))), Status.Code.UNAUTHENTICATED);
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(1);
  }

  @Test
  void a429IsRetriedAfterTheWaitItsRetryAfterAsksFor() {
    proxy.next(MANIFEST_HEAD, new Answer(429, Map.of("Retry-After", "3")));
    start(QUICK, HostBreakers.Settings.defaults(), sleeper);

    assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getExists()).isTrue();
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(2);
    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void serverErrorsAreRetriedWithExponentialJitteredBackoffUntilTheRegistryRecovers() {
    proxy.next(MANIFEST_HEAD, new Answer(500, Map.of()), new Answer(503, Map.of()));
    start(QUICK, HostBreakers.Settings.defaults(), sleeper);

    assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getExists()).isTrue();
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(3);
    // random fixed at 0.5: three quarters of 200 ms, then of 400 ms
    assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(150), Duration.ofMillis(300));
    assertThat(retries("500") + retries("503")).isEqualTo(2);
  }

  @Test
  void aRegistryThatKeepsFailingIsUnavailableWithItsOwnErrorAfterTheLastAttempt() {
    proxy.always(MANIFEST_HEAD, new Answer(503, Map.of()));
    start(QUICK, HostBreakers.Settings.disabled(), sleeper);

    assertThatThrownBy(() -> service.stub().exists(exists(ref("kiln/api:v1"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("503");
            });
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(QUICK.maxAttempts());
  }

  @Test
  void droppedConnectionsAreRetriedAndWhenTheyPersistAreUnavailable() {
    proxy.next(MANIFEST_HEAD, new Drop(), new Drop());
    start(QUICK, HostBreakers.Settings.disabled(), sleeper);

    assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getExists()).isTrue();
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(3);

    proxy.always(MANIFEST_HEAD, new Drop());
    assertCode(() -> service.stub().exists(exists(ref("kiln/api:v1"))), Status.Code.UNAVAILABLE);
  }

  @Test
  void writesOfARetagAreRetriedToo() {
    proxy
        .next(method("POST", "/blobs/uploads/"), new Drop())
        .next(method("PUT", "/manifests/kiln"), new Answer(502, Map.of()));
    start(QUICK, HostBreakers.Settings.defaults(), sleeper);

    String digest =
        service.stub().retag(retag(ref("kiln/api:v1"), ref("cindy/api:kiln"))).getDigest();

    assertThat(digest).isEqualTo(api.digest().toString());
    assertThat(proxy.count(method("PUT", "/manifests/kiln"))).isEqualTo(2);
  }

  @Test
  void aSlowRegistryEndsAtTheCallersDeadlineOnBothSides() throws Exception {
    proxy.always(MANIFEST_HEAD, new Delay(Duration.ofSeconds(20)));
    start(QUICK, HostBreakers.Settings.defaults(), Sleeper.system());
    Instant start = Instant.now();

    assertCode(
        () -> service.stub(Duration.ofSeconds(1)).exists(exists(ref("kiln/api:v1"))),
        Status.Code.DEADLINE_EXCEEDED);

    // the service's side of the call ends too, long before the proxy would have answered
    awaitRpcEnded("exists", Duration.ofSeconds(10));
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(1);
  }

  @Test
  void retriesStopAtTheCallersDeadline() throws Exception {
    RetryPolicy patient =
        new RetryPolicy(50, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(30));
    proxy.always(MANIFEST_HEAD, new Answer(503, Map.of()));
    start(patient, HostBreakers.Settings.disabled(), Sleeper.system());

    assertThatThrownBy(
            () -> service.stub(Duration.ofMillis(1500)).exists(exists(ref("kiln/api:v1"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getCode())
                    .isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED));

    awaitRpcEnded("exists", Duration.ofSeconds(10));
    long attempts = proxy.count(MANIFEST_HEAD);
    assertThat(attempts).isBetween(2L, 20L);
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(attempts);
  }

  @Test
  void aFailingHostOpensItsCircuitIsRefusedAtOnceAndIsTriedAgainLater() {
    HostBreakers.Settings small =
        new HostBreakers.Settings(4, 4, 50f, Duration.ofSeconds(30), 1, true);
    proxy.always(MANIFEST_HEAD, new Answer(503, Map.of()));
    start(RetryPolicy.none(), small, sleeper);
    for (int i = 0; i < 4; i++) {
      assertCode(() -> service.stub().exists(exists(ref("kiln/api:v1"))), Status.Code.UNAVAILABLE);
    }

    assertThatThrownBy(() -> service.stub().exists(exists(ref("kiln/api:v1"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .contains("the registry host " + proxy.host() + " is failing");
            });
    assertThat(proxy.count(MANIFEST_HEAD)).isEqualTo(4);

    proxy.clear();
    clock.advance(Duration.ofSeconds(31));
    assertThat(service.stub().exists(exists(ref("kiln/api:v1"))).getExists()).isTrue();
  }

  private void start(RetryPolicy retry, HostBreakers.Settings breaker, Sleeper sleep) {
    RegistryService.Config config =
        ServiceHarness.config(proxy.host()).withResilience(retry, breaker);
    service =
        new ServiceHarness(
            config,
            new RegistryService.Dependencies(clock, sleep, () -> 0.5, new SimpleMeterRegistry()));
  }

  private double retries(String reason) {
    var counter =
        service
            .service()
            .metrics()
            .registry()
            .find(RegistryMetrics.RETRIES)
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private void awaitRpcEnded(String method, Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (Instant.now().isBefore(deadline)) {
      long ended =
          service
              .service()
              .metrics()
              .registry()
              .find(RegistryMetrics.RPC)
              .tag("method", method)
              .timers()
              .stream()
              .mapToLong(Timer::count)
              .sum();
      if (ended > 0) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the service's " + method + " call did not end within " + within);
  }

  private static void assertCode(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  private String ref(String repositoryAndReference) {
    return proxy.host() + "/" + repositoryAndReference;
  }
}
