package dev.kiln.cli.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The body of {@code POST /v1/builds}.
 *
 * @param tag namespace tag, null for the gateway's default
 * @param clientHash hex build hash computed here, or null
 * @param contextDigest digest of an uploaded context, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildRequest(
    String namespace,
    String image,
    String tag,
    Params params,
    boolean noCache,
    boolean smartBuilds,
    String clientHash,
    String contextDigest) {

  /** Build parameters; secrets map ids to the sha256 hex of their values. */
  public record Params(
      String dockerfile,
      String target,
      SortedMap<String, String> args,
      List<String> platforms,
      Map<String, String> secrets) {}
}
