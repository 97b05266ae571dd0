package dev.kiln.gateway;

import dev.kiln.core.context.ContextLimits;
import java.nio.file.Path;
import java.util.Map;

/** Parses {@link Gateway.Config} from the environment table of docs/architecture.md. */
final class ConfigEnv {
  private static final long MAX_JSON_BYTES = 1L << 20;

  private ConfigEnv() {}

  static Gateway.Config parse(Map<String, String> env) {
    String httpAddr = env.getOrDefault("KILN_HTTP_ADDR", "127.0.0.1:8480");
    int colon = httpAddr.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "KILN_HTTP_ADDR='" + httpAddr + "' is not host:port; set it like 127.0.0.1:8480");
    }
    int port;
    try {
      port = Integer.parseInt(httpAddr.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "KILN_HTTP_ADDR='" + httpAddr + "' has no numeric port; set it like 127.0.0.1:8480", e);
    }
    Path stackDir = Path.of(env.getOrDefault("KILN_STACK_DIR", ".stack"));
    return new Gateway.Config(
        env.getOrDefault("KILN_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
        env.getOrDefault("KILN_DB_URL", "jdbc:postgresql://127.0.0.1:55432/kiln"),
        env.getOrDefault("KILN_DB_USER", "kiln"),
        env.getOrDefault("KILN_DB_PASSWORD", "kiln"),
        httpAddr.substring(0, colon),
        port,
        env.getOrDefault("KILN_PUBLIC_URL", "http://127.0.0.1:8480"),
        Path.of(env.getOrDefault("KILN_CONTEXT_DIR", stackDir.resolve("contexts").toString())),
        required(env, "KILN_CONTEXT_URL_SECRET", "the secret shared with the build-worker"),
        required(env, "KILN_ADMIN_TOKEN", "the token that may create namespace tokens"),
        env.getOrDefault("KILN_REGISTRY", "127.0.0.1:5100"),
        env.getOrDefault("KILN_CACHE_NAMESPACE", "kiln"),
        env.getOrDefault("KILN_REGISTRY_SERVICE", "127.0.0.1:8491"),
        ContextLimits.DEFAULT,
        MAX_JSON_BYTES);
  }

  private static String required(Map<String, String> env, String name, String what) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          name + " is not set; set it to " + what + " before starting the gateway");
    }
    return value;
  }
}
