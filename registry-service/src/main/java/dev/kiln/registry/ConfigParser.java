package dev.kiln.registry;

import dev.kiln.registry.RegistryService.Config;
import dev.kiln.registry.auth.Credentials;
import java.net.InetSocketAddress;
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
        address(env.getOrDefault("KILN_GRPC_ADDR", Config.DEFAULT_GRPC_ADDR).trim());
    Set<String> insecure =
        Arrays.stream(
                env.getOrDefault("KILN_REGISTRY_INSECURE", Config.DEFAULT_INSECURE).split(","))
            .map(String::trim)
            .filter(host -> !host.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    return new Config(address, insecure, credentials(env), REQUEST_TIMEOUT);
  }

  private static InetSocketAddress address(String value) {
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
          "tried to read KILN_GRPC_ADDR but '"
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
}
