package dev.kiln.gateway.kafka;

/** Kafka did not acknowledge an event in time. */
public final class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
