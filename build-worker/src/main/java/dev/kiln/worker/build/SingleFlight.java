package dev.kiln.worker.build;

import dev.kiln.worker.buildkit.BuildKitProgress;
import dev.kiln.worker.buildkit.ProgressListener;
import dev.kiln.worker.buildkit.SolveResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * At most one solve per key at a time. The first request for a key becomes the leader and runs the
 * solve; requests that arrive while it runs attach to it, receive its progress from then on and
 * complete from its one result.
 */
final class SingleFlight {

  /** One running solve: its result and everyone listening to its progress. */
  static final class Flight implements ProgressListener {
    private final CompletableFuture<SolveResult> result = new CompletableFuture<>();
    private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();

    CompletableFuture<SolveResult> result() {
      return result;
    }

    @Override
    public void onProgress(BuildKitProgress progress) {
      for (ProgressListener listener : listeners) {
        listener.onProgress(progress);
      }
    }
  }

  /** A request's place in a flight; only the leader runs the solve. */
  record Membership(Flight flight, boolean leader) {}

  private final Map<String, Flight> flights = new HashMap<>(); // guarded by this

  /** Joins the running flight for {@code key}, or starts one with the caller as its leader. */
  synchronized Membership join(String key, ProgressListener listener) {
    Flight flight = flights.get(key);
    boolean leader = flight == null;
    if (leader) {
      flight = new Flight();
      flights.put(key, flight);
    }
    flight.listeners.add(listener);
    return new Membership(flight, leader);
  }

  /**
   * Ends the leader's flight: later requests start afresh (and normally find the pushed image in
   * the registry). The flight leaves the map before its result is set, so nobody attaches to a
   * finished flight.
   */
  void land(String key, Flight flight, SolveResult result, Throwable error) {
    synchronized (this) {
      flights.remove(key, flight);
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
}
