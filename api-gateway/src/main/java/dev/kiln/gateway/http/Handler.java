package dev.kiln.gateway.http;

import java.io.IOException;

/** One route's logic; throws {@link ApiException} for answers other than success. */
@FunctionalInterface
public interface Handler {
  void handle(Call call) throws IOException;
}
