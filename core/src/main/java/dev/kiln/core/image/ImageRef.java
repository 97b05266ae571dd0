package dev.kiln.core.image;

import dev.kiln.core.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A fully qualified image reference, {@code <registry>/<repository>[:<tag>][@<digest>]}, following
 * the OCI distribution reference grammar. Unlike Docker, kiln never guesses a registry: the first
 * component must be a host (it contains '.' or ':' or is {@code localhost}).
 *
 * @param registry host[:port], e.g. {@code 127.0.0.1:5100}
 * @param repository path components separated by '/', e.g. {@code kiln/api}
 * @param tag the tag, or null
 * @param digest the manifest digest, or null
 * @see <a href="https://github.com/distribution/reference/blob/main/reference.go">the reference
 *     grammar</a>
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {

  private static final String HOST_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern REGISTRY =
      Pattern.compile(
          "(?:"
              + HOST_COMPONENT
              + "(?:\\."
              + HOST_COMPONENT
              + ")*|\\[[a-fA-F0-9:]+\\])"
              + "(?::[0-9]+)?");
  private static final int NAME_MAX = 255;

  public ImageRef {
    if (registry == null || !REGISTRY.matcher(registry).matches()) {
      throw new InvalidInputException(
          "the registry '" + registry + "' is invalid; use a host name or IP with an optional port",
          "registry");
    }
    validateRepository(repository);
    if (registry.length() + 1 + repository.length() > NAME_MAX) {
      throw new InvalidInputException(
          "the image name '"
              + registry
              + "/"
              + repository
              + "' is longer than 255 characters; use a shorter repository",
          "repository");
    }
    if (tag != null) {
      Names.tag(tag);
    }
  }

  /** Parses a reference such as {@code 127.0.0.1:5100/cindy/api:kiln} or {@code …/api@sha256:…}. */
  public static ImageRef parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidInputException(
          "the image reference is empty; write <registry>/<repository>[:<tag>]");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    int slash = rest.indexOf('/');
    String first = slash < 0 ? "" : rest.substring(0, slash);
    if (slash < 0 || !(first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      throw new InvalidInputException(
          "the image reference '"
              + text
              + "' has no registry host; write it as <registry>/<repository>[:<tag>], e.g."
              + " 127.0.0.1:5100/"
              + rest.toLowerCase(Locale.ROOT)
              + (tag == null ? "" : ":" + tag),
          "image");
    }
    return new ImageRef(first, rest.substring(slash + 1), tag, digest);
  }

  public static ImageRef of(String registry, String repository, String tag) {
    return new ImageRef(registry, repository, tag, null);
  }

  public ImageRef withTag(String newTag) {
    return new ImageRef(registry, repository, newTag, digest);
  }

  public ImageRef withDigest(Digest newDigest) {
    return new ImageRef(registry, repository, tag, newDigest);
  }

  /** The repository's base path in the registry API, {@code /v2/<repository>}. */
  public String repositoryUrlPath() {
    return "/v2/" + repository;
  }

  /** What to put after {@code /manifests/}: the digest when there is one, else the tag. */
  public String manifestReference() {
    if (digest != null) {
      return digest.toString();
    }
    if (tag != null) {
      return tag;
    }
    throw new InvalidInputException(
        "the image reference " + this + " has neither tag nor digest; add a tag", "image");
  }

  /** {@code <registry>/<repository>} without tag or digest. */
  public String name() {
    return registry + "/" + repository;
  }

  @Override
  public String toString() {
    return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }

  private static void validateRepository(String repository) {
    if (repository == null || repository.isEmpty()) {
      throw new InvalidInputException(
          "the repository is empty; write it as path components such as cindy/api", "repository");
    }
    for (String component : repository.split("/", -1)) {
      if (!Names.PATH_COMPONENT.matcher(component).matches()) {
        throw new InvalidInputException(
            "the repository '"
                + repository
                + "' has the invalid component '"
                + component
                + "'; use lowercase letters and digits separated by single '.', single or"
                + " double '_', or runs of '-', and components separated by single '/'",
            "repository");
      }
    }
  }
}
