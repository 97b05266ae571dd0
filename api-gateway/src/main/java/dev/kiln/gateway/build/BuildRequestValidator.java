package dev.kiln.gateway.build;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import dev.kiln.core.image.Names;
import dev.kiln.core.store.ContextStore;
import dev.kiln.gateway.auth.Principal;
import dev.kiln.gateway.context.ContextOwners;
import dev.kiln.gateway.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Checks every field of a {@code POST /v1/builds} body; each error names its field. */
public final class BuildRequestValidator {
  static final String DEFAULT_TAG = "kiln";
  static final String DEFAULT_DOCKERFILE = "Dockerfile";

  private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final Pattern PLATFORM =
      Pattern.compile("[a-z0-9_]{1,32}/[a-z0-9_]{1,32}(/[a-z0-9_.]{1,32})?");
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_ARG_VALUE_CHARS = 65_536;
  private static final int MAX_ITEMS = 256;
  private static final int MAX_PATH_CHARS = 4096;

  private final ContextStore store;
  private final ContextOwners contexts;

  public BuildRequestValidator(ContextStore store, ContextOwners contexts) {
    this.store = store;
    this.contexts = contexts;
  }

  public ValidBuildRequest validate(
      CreateBuildBody body, Principal principal, String cacheNamespace) {
    String namespace = body.namespace() == null ? principal.namespace() : body.namespace();
    field("namespace", () -> Names.namespace(namespace));
    if (!namespace.equals(principal.namespace())) {
      throw ApiException.forbidden(
          "the token is for namespace "
              + principal.namespace()
              + " of organisation "
              + principal.org()
              + " and cannot build in namespace "
              + namespace
              + "; use a token of "
              + namespace
              + " or set namespace to "
              + principal.namespace());
    }
    if (namespace.equals(cacheNamespace)) {
      throw ApiException.badRequest(
          "field namespace: '"
              + namespace
              + "' is the cache namespace of organisation "
              + principal.org()
              + " and cannot hold namespace tags; build in another namespace");
    }
    String image = required("image", body.image());
    field("image", () -> Names.imageName(image));
    String tag = body.tag() == null ? DEFAULT_TAG : body.tag();
    field("tag", () -> Names.tag(tag));

    BuildParameters params = params(body.params());
    BuildHash clientHash =
        body.clientHash() == null
            ? null
            : field("clientHash", () -> BuildHash.parse(body.clientHash()));
    Digest contextDigest =
        body.contextDigest() == null ? null : context(body.contextDigest(), principal.org());
    if (clientHash == null && contextDigest == null) {
      throw ApiException.badRequest(
          "fields clientHash and contextDigest are both missing; send the build hash the CLI"
              + " computed (clientHash), an uploaded context (contextDigest), or both");
    }
    return new ValidBuildRequest(
        namespace,
        image,
        tag,
        params,
        clientHash,
        contextDigest,
        Boolean.TRUE.equals(body.noCache()),
        !Boolean.FALSE.equals(body.smartBuilds()));
  }

  /**
   * Parses a context digest field and checks {@code org} uploaded that archive; 404 otherwise, the
   * same answer whether another organisation uploaded it or nobody did.
   */
  public Digest context(String value, String org) {
    Digest digest = field("contextDigest", () -> Digest.parse(value));
    if (!Digest.SHA256.equals(digest.algorithm())) {
      throw ApiException.badRequest(
          "field contextDigest: contexts are stored by sha256; send sha256:<64 hex>, not "
              + digest.algorithm());
    }
    if (!contexts.owns(org, digest) || !store.exists(digest)) {
      throw ApiException.notFound(
          "field contextDigest: context "
              + digest
              + " was not uploaded by organisation '"
              + org
              + "'; upload the context first (PUT /v1/contexts/"
              + digest
              + ")");
    }
    return digest;
  }

  private static BuildParameters params(CreateBuildBody.Params params) {
    if (params == null) {
      return new BuildParameters(DEFAULT_DOCKERFILE, "", Map.of(), List.of(), Map.of());
    }
    String dockerfile =
        dockerfile(params.dockerfile() == null ? DEFAULT_DOCKERFILE : params.dockerfile());
    String target = params.target() == null ? "" : params.target();
    if (!target.isEmpty() && !TARGET.matcher(target).matches()) {
      throw ApiException.badRequest(
          "field params.target: '"
              + target
              + "' is not a stage name; use letters, digits, '_', '.' or '-' (or empty for the"
              + " last stage)");
    }
    return new BuildParameters(
        dockerfile, target, args(params.args()), platforms(params.platforms()), secrets(params));
  }

  /** A relative '/'-separated path inside the context, without "." and empty components. */
  static String dockerfile(String path) {
    String field = "params.dockerfile";
    if (path.isBlank() || path.length() > MAX_PATH_CHARS || path.indexOf('\0') >= 0) {
      throw ApiException.badRequest(
          "field " + field + ": '" + path + "' is not a path; give the Dockerfile's path");
    }
    if (path.startsWith("/")) {
      throw ApiException.badRequest(
          "field "
              + field
              + ": '"
              + path
              + "' is absolute; give the path relative to the build context");
    }
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw ApiException.badRequest(
            "field "
                + field
                + ": '"
                + path
                + "' leaves the build context with '..'; give a path inside the context");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    if (parts.isEmpty()) {
      throw ApiException.badRequest(
          "field " + field + ": '" + path + "' names no file; give the Dockerfile's path");
    }
    return String.join("/", parts);
  }

  private static TreeMap<String, String> args(Map<String, String> args) {
    TreeMap<String, String> sorted = new TreeMap<>();
    if (args == null) {
      return sorted;
    }
    limit("params.args", args.size());
    for (Map.Entry<String, String> arg : args.entrySet()) {
      String name = arg.getKey();
      if (!ARG_NAME.matcher(name).matches()) {
        throw ApiException.badRequest(
            "field params.args: '"
                + name
                + "' is not a valid build argument name; use letters, digits and '_', not"
                + " starting with a digit");
      }
      if (arg.getValue() == null) {
        throw ApiException.badRequest(
            "field params.args." + name + " is null; give a string value (may be empty)");
      }
      if (arg.getValue().length() > MAX_ARG_VALUE_CHARS) {
        throw ApiException.badRequest(
            "field params.args." + name + " is longer than " + MAX_ARG_VALUE_CHARS + " chars");
      }
      sorted.put(name, arg.getValue());
    }
    return sorted;
  }

  private static List<String> platforms(List<String> platforms) {
    if (platforms == null) {
      return List.of();
    }
    limit("params.platforms", platforms.size());
    for (int i = 0; i < platforms.size(); i++) {
      String platform = platforms.get(i);
      if (platform == null || !PLATFORM.matcher(platform).matches()) {
        throw ApiException.badRequest(
            "field params.platforms["
                + i
                + "]: '"
                + platform
                + "' is not a platform; write os/arch or os/arch/variant in lower case, e.g."
                + " linux/amd64 or linux/arm/v7");
      }
    }
    return platforms;
  }

  private static TreeMap<String, String> secrets(CreateBuildBody.Params params) {
    TreeMap<String, String> sorted = new TreeMap<>();
    if (params.secrets() == null) {
      return sorted;
    }
    limit("params.secrets", params.secrets().size());
    for (Map.Entry<String, String> secret : params.secrets().entrySet()) {
      String id = secret.getKey();
      if (!SECRET_ID.matcher(id).matches()) {
        throw ApiException.badRequest(
            "field params.secrets: '"
                + id
                + "' is not a valid secret id; use letters, digits, '_', '.' or '-'");
      }
      String digest = secret.getValue();
      if (digest == null || !SHA256_HEX.matcher(digest).matches()) {
        throw ApiException.badRequest(
            "field params.secrets."
                + id
                + " must be the lowercase hex sha256 of the secret's value (64 characters);"
                + " never send the value itself");
      }
      sorted.put(id, digest);
    }
    if (!sorted.isEmpty()) {
      // The worker cannot hand secrets to BuildKit yet; refusing here beats a FAILED build later.
      throw ApiException.badRequest(
          "field params.secrets: remote builds with secrets are not supported yet; remove the"
              + " secrets from the build (or build this image locally)");
    }
    return sorted;
  }

  private static void limit(String field, int size) {
    if (size > MAX_ITEMS) {
      throw ApiException.badRequest(
          "field " + field + " has " + size + " items; at most " + MAX_ITEMS + " are accepted");
    }
  }

  private static String required(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("field " + field + " is required; set it in the request body");
    }
    return value;
  }

  /** Runs a kiln-core validator, prefixing its message with the field it checked. */
  private static <T> T field(String field, Supplier<T> check) {
    try {
      return check.get();
    } catch (InvalidInputException e) {
      throw ApiException.badRequest("field " + field + ": " + e.getMessage());
    }
  }
}
