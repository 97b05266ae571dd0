package dev.kiln.hashsvc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the hash-service.
 *
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param contextDir root of the directory context store shared with the api-gateway
 * @param pollTimeout how long one Kafka poll may block
 */
public record HashServiceConfig(String kafkaBootstrap, Path contextDir, Duration pollTimeout) {

  public static final String CONSUMER_GROUP = "kiln-hash-service";

  /** Reads {@code KILN_*} variables; defaults match the local stack of docs/architecture.md. */
  public static HashServiceConfig fromEnv(Map<String, String> env) {
    String stackDir = env.getOrDefault("KILN_STACK_DIR", ".stack");
    return new HashServiceConfig(
        env.getOrDefault("KILN_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
        Path.of(env.getOrDefault("KILN_CONTEXT_DIR", stackDir + "/contexts")),
        Duration.ofMillis(500));
  }
}
