package dev.kiln.core.hash;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextPaths;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Everything besides the context tree that decides what a build produces. The constructor copies
 * and sorts, so the order in which callers add arguments never matters.
 *
 * @param dockerfilePath the Dockerfile relative to the context, cleaned ("" means "Dockerfile")
 * @param target the build stage, "" for the last one
 * @param args build arguments; a null value is an argument declared without a value, which is not
 *     the same as an empty one
 * @param platforms target platforms such as {@code linux/amd64}; empty for the builder's own
 * @param secretDigests secret id to the sha256 hex of its value; values never enter kiln
 * @param cacheScope who may share cache entries, {@code "<org>/<cache namespace>"}
 */
public record BuildInputs(
    String dockerfilePath,
    String target,
    SortedMap<String, String> args,
    SortedSet<String> platforms,
    SortedMap<String, String> secretDigests,
    String cacheScope) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public BuildInputs {
    dockerfilePath = ContextPaths.dockerfile(dockerfilePath);
    target = target == null ? "" : target;
    args = sortedCopy(args, "args");
    platforms = sortedCopy(platforms);
    secretDigests = sortedCopy(secretDigests, "secrets");
    cacheScope = cacheScope == null ? "" : cacheScope;
    for (String name : args.keySet()) {
      if (name.isEmpty()) {
        throw new InvalidInputException("a build argument has an empty name; name it", "args");
      }
    }
    for (Map.Entry<String, String> secret : secretDigests.entrySet()) {
      if (secret.getValue() == null || !SHA256_HEX.matcher(secret.getValue()).matches()) {
        throw new InvalidInputException(
            "the secret "
                + secret.getKey()
                + " has no valid sha256 digest of its value; send 64 lowercase hex characters",
            "secrets");
      }
    }
  }

  /** Copies into natural order, whatever comparator the caller's map had. */
  private static SortedMap<String, String> sortedCopy(Map<String, String> map, String field) {
    TreeMap<String, String> copy = new TreeMap<>();
    if (map != null) {
      for (Map.Entry<String, String> entry : map.entrySet()) {
        if (entry.getKey() == null) {
          throw new InvalidInputException("an entry of " + field + " has no name; name it", field);
        }
        copy.put(entry.getKey(), entry.getValue());
      }
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  private static SortedSet<String> sortedCopy(Set<String> set) {
    TreeSet<String> copy = new TreeSet<>();
    if (set != null) {
      for (String value : set) {
        if (value == null || value.isBlank()) {
          throw new InvalidInputException("a platform is empty; write it as os/arch", "platforms");
        }
        copy.add(value);
      }
    }
    return Collections.unmodifiableSortedSet(copy);
  }

  /** Inputs with only a Dockerfile and a cache scope; the {@code with…} methods add the rest. */
  public static BuildInputs of(String dockerfilePath, String cacheScope) {
    return new BuildInputs(dockerfilePath, "", null, null, null, cacheScope);
  }

  public BuildInputs withTarget(String newTarget) {
    return new BuildInputs(dockerfilePath, newTarget, args, platforms, secretDigests, cacheScope);
  }

  public BuildInputs withArg(String name, String value) {
    TreeMap<String, String> more = new TreeMap<>(args);
    more.put(name, value);
    return new BuildInputs(dockerfilePath, target, more, platforms, secretDigests, cacheScope);
  }

  public BuildInputs withPlatform(String platform) {
    TreeSet<String> more = new TreeSet<>(platforms);
    more.add(platform);
    return new BuildInputs(dockerfilePath, target, args, more, secretDigests, cacheScope);
  }

  public BuildInputs withSecretDigest(String id, String sha256Hex) {
    TreeMap<String, String> more = new TreeMap<>(secretDigests);
    more.put(id, sha256Hex);
    return new BuildInputs(dockerfilePath, target, args, platforms, more, cacheScope);
  }
}
