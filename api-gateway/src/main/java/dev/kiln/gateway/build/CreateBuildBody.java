package dev.kiln.gateway.build;

import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /v1/builds} as sent; {@link BuildRequestValidator} checks it. Every
 * field may be absent (null).
 */
public record CreateBuildBody(
    String namespace,
    String image,
    String tag,
    Params params,
    Boolean noCache,
    Boolean smartBuilds,
    String clientHash,
    String contextDigest) {

  /** {@code params} of the body. */
  public record Params(
      String dockerfile,
      String target,
      Map<String, String> args,
      List<String> platforms,
      Map<String, String> secrets) {}
}
