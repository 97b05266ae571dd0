package dev.kiln.registry;

import dev.kiln.registry.RegistryService.Config;
import dev.kiln.registry.auth.Credentials;
import dev.kiln.registry.resilience.HostBreakers;
import dev.kiln.registry.resilience.RetryPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link Config} from {@code KILN_*} environment variables. */
final class ConfigParser {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private ConfigParser() {}

  static Config parse(Map<String, String> env) {
    InetSocketAddress address =
        address("KILN_GRPC_ADDR", env.getOrDefault("KILN_GRPC_ADDR", Config.DEFAULT_GRPC_ADDR));
    Set<String> insecure =
        hosts(env.getOrDefault("KILN_REGISTRY_INSECURE", Config.DEFAULT_INSECURE));
    Optional<InetSocketAddress> metrics =
        Optional.ofNullable(env.get("KILN_METRICS_ADDR"))
            .filter(value -> !value.isBlank())
            .map(value -> address("KILN_METRICS_ADDR", value));
    return new Config(
        address,
        insecure,
        credentials(env),
        REQUEST_TIMEOUT,
        hosts(env.getOrDefault("KILN_REGISTRY_AUTH_HOSTS", "")),
        dockerConfig(env),
        metrics,
        RetryPolicy.defaults(),
        HostBreakers.Settings.defaults());
  }

  private static Set<String> hosts(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(host -> !host.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static InetSocketAddress address(String variable, String text) {
    String value = text.trim();
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? "" : value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (host.isEmpty() || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(host, port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "tried to read "
              + variable
              + " but '"
              + value
              + "' is not host:port; set it like "
              + Config.DEFAULT_GRPC_ADDR);
    }
  }

  private static Optional<Credentials> credentials(Map<String, String> env) {
    String user = env.getOrDefault("KILN_REGISTRY_USERNAME", "");
    String password = env.getOrDefault("KILN_REGISTRY_PASSWORD", "");
    if (user.isEmpty() && password.isEmpty()) {
      return Optional.empty();
    }
    if (user.isEmpty()) {
      throw new IllegalArgumentException(
          "KILN_REGISTRY_PASSWORD is set without KILN_REGISTRY_USERNAME; set both or neither");
    }
    return Optional.of(new Credentials(user, password));
  }

  /**
   * {@code KILN_DOCKER_CONFIG} (the file, or the directory holding {@code config.json} like
   * Docker's own {@code DOCKER_CONFIG}), else {@code ~/.docker/config.json} when it exists.
   */
  private static Optional<Path> dockerConfig(Map<String, String> env) {
    String configured = env.getOrDefault("KILN_DOCKER_CONFIG", "").trim();
    if (!configured.isEmpty()) {
      Path path = Path.of(configured);
      Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "KILN_DOCKER_CONFIG names "
                + configured
                + " but there is no config.json there; point it at a Docker config file or unset"
                + " it");
      }
      return Optional.of(file);
    }
    String home = env.getOrDefault("HOME", "");
    if (home.isEmpty()) {
      return Optional.empty();
    }
    Path file = Path.of(home, ".docker", "config.json");
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
