package dev.kiln.registry.resilience;

import dev.kiln.core.KilnException;

/** A request was not sent because its host's circuit breaker is open. */
public final class HostCircuitOpenException extends KilnException {
  private static final long serialVersionUID = 1L;

  private final String host;

  public HostCircuitOpenException(String host, String message) {
    super(message);
    this.host = host;
  }

  public String host() {
    return host;
  }
}
