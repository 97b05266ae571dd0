package dev.kiln.cli.gateway;

import dev.kiln.core.KilnException;

/** A gateway call failed; the message says what was tried and what to do. */
public class GatewayException extends KilnException {
  private final int status;

  /**
   * @param status the HTTP status the gateway answered, or 0 when no answer came
   */
  public GatewayException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Whether trying again later may help: no answer, or a 5xx. */
  public boolean retryable() {
    return status == 0 || status >= 500;
  }
}
