package dev.kiln.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.registry.auth.AuthenticationFailedException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Credentials from a Docker {@code config.json}: {@code auths} entries with {@code auth} (base64 of
 * {@code user:password}) or {@code username}/{@code password}. Entries kiln cannot use (credential
 * helpers, a credential store, identity tokens) are remembered and reported when their host asks
 * for authentication.
 *
 * @see <a href="https://docs.docker.com/reference/cli/docker/login/">docker login, credential
 *     stores</a>
 */
public final class DockerConfigCredentialStore implements CredentialStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Docker Hub is written under several names; config files use the v1 index host. */
  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "registry-1.docker.io", "index.docker.io");

  private record Entry(Optional<Credentials> credentials, String unusable) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private DockerConfigCredentialStore(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = Map.copyOf(entries);
  }

  /**
   * Reads {@code file}; a missing file is an empty store.
   *
   * @throws IllegalArgumentException when the file exists but is not a Docker config
   */
  public static DockerConfigCredentialStore load(Path file) {
    if (!Files.exists(file)) {
      return new DockerConfigCredentialStore(file, Map.of());
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "tried to read registry credentials from the Docker config "
              + file
              + " but it is not readable JSON ("
              + e.getMessage()
              + "); fix the file or point KILN_DOCKER_CONFIG at another one",
          e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "tried to read registry credentials from the Docker config "
              + file
              + " but it is not a JSON object; fix the file or point KILN_DOCKER_CONFIG at another"
              + " one");
    }
    return new DockerConfigCredentialStore(file, entries(root));
  }

  private static Map<String, Entry> entries(JsonNode root) {
    String store = root.path("credsStore").asText("");
    Map<String, Entry> entries = new HashMap<>();
    for (Map.Entry<String, JsonNode> auth : root.path("auths").properties()) {
      entries.put(host(auth.getKey()), entry(auth.getValue(), store));
    }
    for (Map.Entry<String, JsonNode> helper : root.path("credHelpers").properties()) {
      String host = host(helper.getKey());
      Entry inline = entries.get(host);
      if (inline == null || inline.credentials().isEmpty()) {
        entries.put(
            host,
            new Entry(
                Optional.empty(),
                "names the credential helper docker-credential-" + helper.getValue().asText()));
      }
    }
    return entries;
  }

  private static Entry entry(JsonNode auth, String store) {
    String encoded = auth.path("auth").asText("");
    String username = auth.path("username").asText("");
    try {
      if (!encoded.isEmpty()) {
        String pair =
            new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon < 0) {
          return new Entry(Optional.empty(), "has an 'auth' value that is not base64 of user:pass");
        }
        return usable(new Credentials(pair.substring(0, colon), pair.substring(colon + 1)));
      }
      if (!username.isEmpty()) {
        return usable(new Credentials(username, auth.path("password").asText("")));
      }
    } catch (IllegalArgumentException e) {
      return new Entry(Optional.empty(), "has unusable credentials (" + e.getMessage() + ")");
    }
    if (!auth.path("identitytoken").asText("").isEmpty()) {
      return new Entry(Optional.empty(), "holds an identity token, which kiln does not support");
    }
    if (!store.isEmpty()) {
      return new Entry(
          Optional.empty(),
          "keeps the password in the credential store docker-credential-" + store);
    }
    return new Entry(Optional.empty(), null);
  }

  private static Entry usable(Credentials credentials) {
    return new Entry(Optional.of(credentials), null);
  }

  /** {@code https://host:port/v1/} and {@code host:port} both mean {@code host:port}. */
  static String host(String key) {
    String host = key.trim();
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    host = host.toLowerCase(Locale.ROOT);
    return DOCKER_HUB.contains(host) ? "index.docker.io" : host;
  }

  @Override
  public Optional<Credentials> lookup(String registry) {
    Entry entry = entries.get(host(registry));
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.credentials().isEmpty() && entry.unusable() != null) {
      throw new AuthenticationFailedException(
          Reason.UNSUPPORTED,
          "tried to find credentials for "
              + registry
              + " in the Docker config "
              + file
              + " but its entry "
              + entry.unusable()
              + "; write the user name and password into its 'auths' entry (docker login with no"
              + " credential store) or set KILN_REGISTRY_USERNAME and KILN_REGISTRY_PASSWORD");
    }
    return entry.credentials();
  }

  /** The hosts this file has entries for, for the startup log. */
  public Set<String> hosts() {
    return entries.keySet();
  }

  @Override
  public String toString() {
    return "Docker config " + file + " (" + entries.size() + " hosts)";
  }
}
