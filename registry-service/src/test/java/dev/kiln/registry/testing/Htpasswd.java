package dev.kiln.registry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Writes an htpasswd file with bcrypt hashes, the only kind CNCF Distribution accepts. */
public final class Htpasswd {

  /** bcrypt's cheapest cost; the registry checks a hash per request, tests want that quick. */
  private static final int COST = 4;

  private Htpasswd() {}

  /** Writes {@code users} (name to password) and returns the registry's {@code auth:} YAML. */
  public static String write(Path dir, Map<String, String> users) throws IOException {
    SecureRandom random = new SecureRandom();
    String lines =
        users.entrySet().stream()
            .map(
                user -> {
                  byte[] salt = new byte[16];
                  random.nextBytes(salt);
                  return user.getKey()
                      + ":"
                      + OpenBSDBCrypt.generate("2y", user.getValue().toCharArray(), salt, COST);
                })
            .collect(Collectors.joining("\n", "", "\n"));
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, lines, StandardCharsets.UTF_8);
    return """
        auth:
          htpasswd:
            realm: kiln-test
            path: %s
        """
        .formatted(file);
  }
}
