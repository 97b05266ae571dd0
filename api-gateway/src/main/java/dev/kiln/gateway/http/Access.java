package dev.kiln.gateway.http;

/** Which credential a route needs. */
public enum Access {
  /** No bearer token; the handler checks its own credential (e.g. a signed URL). */
  PUBLIC,
  /** A namespace token created by {@code POST /v1/admin/tokens}. */
  TOKEN,
  /** The operator's KILN_ADMIN_TOKEN. */
  ADMIN
}
