package dev.kiln.gateway.kafka;

import dev.kiln.events.v1.BuildRequested;

/** Hands a build request to the pipeline ({@code build.requested}). */
public interface BuildPublisher extends AutoCloseable {
  /**
   * Returns once the broker acknowledged the event; throws {@link PublishException} when it did
   * not, in which case the request may or may not have been stored.
   */
  void publish(BuildRequested request);

  @Override
  default void close() {}
}
