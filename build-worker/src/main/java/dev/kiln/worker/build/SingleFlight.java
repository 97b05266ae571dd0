package dev.kiln.worker.build;

import dev.kiln.worker.buildkit.BuildKitProgress;
import dev.kiln.worker.buildkit.ProgressListener;
import dev.kiln.worker.buildkit.SolveResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * At most one solve per key at a time. The first request for a key becomes the leader and runs the
 * solve; requests that arrive while it runs attach to it, receive its progress from then on and
 * complete from its one result.
 *
 * <p>A successful result is also kept for a short while after the solve ended. A request whose
 * registry lookup missed just before the push, and that only gets here after the solve ended, may
 * reuse it instead of building the same image a second time.
 */
final class SingleFlight {

  /** One running solve: its result and everyone listening to its progress. */
  static final class Flight implements ProgressListener {
    private final CompletableFuture<SolveResult> result = new CompletableFuture<>();
    private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();

    CompletableFuture<SolveResult> result() {
      return result;
    }

    /** Forwards the solve's progress from now on to {@code listener}. */
    void listen(ProgressListener listener) {
      listeners.add(listener);
    }

    @Override
    public void onProgress(BuildKitProgress progress) {
      for (ProgressListener listener : listeners) {
        listener.onProgress(progress);
      }
    }
  }

  /**
   * A request's place: in a running flight (only the leader runs the solve), or, when {@code
   * landed} is not null, the result of a solve that ended moments ago.
   */
  record Membership(Flight flight, boolean leader, SolveResult landed) {}

  private record Landed(SolveResult result, Instant at) {}

  private static final int MAX_LANDED = 10_000;

  private final Clock clock;
  private final Duration keepLanded;
  private final Map<String, Flight> flights = new HashMap<>(); // guarded by this
  private final LinkedHashMap<String, Landed> landed = new LinkedHashMap<>(); // guarded by this

  /**
   * @param keepLanded how long a successful result stays reusable after its solve ended
   */
  SingleFlight(Clock clock, Duration keepLanded) {
    this.clock = clock;
    this.keepLanded = keepLanded;
  }

  /**
   * Reuses a result that landed moments ago (only when {@code reuseLanded}), else joins the running
   * flight for {@code key}, else starts one with the caller as its leader.
   */
  synchronized Membership join(String key, boolean reuseLanded) {
    forgetOldLandings();
    Landed recent = landed.get(key);
    if (reuseLanded && recent != null) {
      return new Membership(null, false, recent.result());
    }
    Flight flight = flights.get(key);
    boolean leader = flight == null;
    if (leader) {
      flight = new Flight();
      flights.put(key, flight);
    }
    return new Membership(flight, leader, null);
  }

  /**
   * Ends the leader's flight. It leaves the running flights before its result is set, so nobody
   * attaches to a finished flight; a success is kept as a landing for {@code keepLanded}.
   */
  void land(String key, Flight flight, SolveResult result, Throwable error) {
    synchronized (this) {
      flights.remove(key, flight);
      if (error == null) {
        landed.remove(key);
        landed.put(key, new Landed(result, clock.instant()));
        forgetOldLandings();
      }
    }
    if (error == null) {
      flight.result.complete(result);
    } else {
      flight.result.completeExceptionally(error);
    }
  }

  synchronized int inFlight() {
    return flights.size();
  }

  // landings are in insertion order, so the oldest come first
  private void forgetOldLandings() {
    Instant oldest = clock.instant().minus(keepLanded);
    Iterator<Landed> it = landed.values().iterator();
    while (it.hasNext()) {
      Landed next = it.next();
      if (next.at().isAfter(oldest) && landed.size() <= MAX_LANDED) {
        break;
      }
      it.remove();
    }
  }
}
