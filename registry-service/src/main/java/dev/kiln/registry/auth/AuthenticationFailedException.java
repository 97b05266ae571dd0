package dev.kiln.registry.auth;

import dev.kiln.core.KilnException;

/**
 * Getting credentials or a token for a registry failed. The transport turns it into the registry
 * exception a caller acts on, by {@link Reason}.
 */
public final class AuthenticationFailedException extends KilnException {
  private static final long serialVersionUID = 1L;

  /** What a caller does about it. */
  public enum Reason {
    /** The credentials are missing or wrong (token service answered 401). */
    REJECTED,
    /** The credentials are valid but lack access (token service answered 403). */
    FORBIDDEN,
    /** The token service is failing or unreachable; retrying may succeed. */
    UNAVAILABLE,
    /** The configuration asks for something kiln does not do (a credential helper). */
    UNSUPPORTED,
    /** The registry or token service answered something unusable (no token, a bad realm). */
    INVALID_RESPONSE
  }

  private final Reason reason;

  public AuthenticationFailedException(Reason reason, String message) {
    this(reason, message, null);
  }

  public AuthenticationFailedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
