package dev.kiln.worker;

import dev.kiln.worker.buildkit.BuildKitAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of a build-worker, read from {@code KILN_*} environment variables (docs/architecture.md
 * "Service configuration").
 *
 * @param kafkaBootstrap KILN_KAFKA_BOOTSTRAP
 * @param registryService KILN_REGISTRY_SERVICE, host:port of the registry-service's gRPC API
 * @param buildkit KILN_BUILDKIT_ADDR
 * @param publicUrl KILN_PUBLIC_URL, the gateway as BuildKit reaches it (context downloads)
 * @param contextUrlSecret KILN_CONTEXT_URL_SECRET, signs context URLs; required
 * @param concurrency KILN_WORKER_CONCURRENCY, solves running at once (default 2)
 * @param maxInFlight KILN_WORKER_MAX_IN_FLIGHT, records in flight before consumption pauses
 *     (default 64)
 * @param buildTimeout KILN_WORKER_BUILD_TIMEOUT_SECONDS, limit of one solve (default 1 hour)
 */
public record BuildWorkerConfig(
    String kafkaBootstrap,
    String registryService,
    BuildKitAddress buildkit,
    String publicUrl,
    String contextUrlSecret,
    int concurrency,
    int maxInFlight,
    Duration buildTimeout) {

  /** Consumer group of every worker replica. */
  public static final String GROUP_ID = "kiln-build-worker";

  public BuildWorkerConfig {
    if (contextUrlSecret == null || contextUrlSecret.isEmpty()) {
      throw new IllegalArgumentException(
          "tried to configure the build-worker but KILN_CONTEXT_URL_SECRET is not set; set it to"
              + " the same secret the api-gateway uses");
    }
    if (concurrency < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException(
          "tried to configure the build-worker but KILN_WORKER_CONCURRENCY and"
              + " KILN_WORKER_MAX_IN_FLIGHT must be at least 1");
    }
  }

  public static BuildWorkerConfig fromEnv(Map<String, String> env) {
    return new BuildWorkerConfig(
        get(env, "KILN_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
        get(env, "KILN_REGISTRY_SERVICE", "127.0.0.1:8491"),
        BuildKitAddress.parse(get(env, "KILN_BUILDKIT_ADDR", "tcp://127.0.0.1:11234")),
        get(env, "KILN_PUBLIC_URL", "http://127.0.0.1:8480"),
        get(env, "KILN_CONTEXT_URL_SECRET", ""),
        number(env, "KILN_WORKER_CONCURRENCY", 2),
        number(env, "KILN_WORKER_MAX_IN_FLIGHT", 64),
        Duration.ofSeconds(number(env, "KILN_WORKER_BUILD_TIMEOUT_SECONDS", 3600)));
  }

  public byte[] contextUrlSecretBytes() {
    return contextUrlSecret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    // never print the secret
    return "BuildWorkerConfig[kafka="
        + kafkaBootstrap
        + ", registryService="
        + registryService
        + ", buildkit="
        + buildkit
        + ", publicUrl="
        + publicUrl
        + ", concurrency="
        + concurrency
        + ", maxInFlight="
        + maxInFlight
        + ", buildTimeout="
        + buildTimeout
        + "]";
  }

  private static String get(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = get(env, name, Integer.toString(fallback));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "tried to read " + name + " but '" + value + "' is not a whole number; fix or unset it",
          e);
    }
  }
}
