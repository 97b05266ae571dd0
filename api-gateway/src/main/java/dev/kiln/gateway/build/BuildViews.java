package dev.kiln.gateway.build;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of a build: the record of {@code GET /v1/builds/{id}} and the state event. */
public final class BuildViews {
  private BuildViews() {}

  /** {@code GET /v1/builds/{id}}. */
  public static Map<String, Object> record(BuildRecord build) {
    BuildStatus status = build.status();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", build.id().toString());
    view.put("org", build.org());
    view.put("namespace", build.namespace());
    view.put("image", build.image());
    view.put("tag", build.tag());
    view.put("sequence", build.sequence());
    view.put("state", status.state().name());
    view.put("outcome", status.outcome() == null ? null : status.outcome().name());
    view.put("hash", text(status.hash()));
    view.put("clientHash", text(build.clientHash()));
    view.put("digest", text(status.digest()));
    view.put("imageRef", build.imageRef());
    view.put("cacheRef", status.cacheRef());
    view.put("builder", status.builder());
    view.put("error", status.error());
    view.put("message", status.message());
    view.put("params", build.params());
    view.put("contextDigest", text(build.contextDigest()));
    view.put("noCache", build.noCache());
    view.put("smartBuilds", build.smartBuilds());
    view.put("createdAt", build.createdAt().toString());
    view.put("updatedAt", build.updatedAt().toString());
    return view;
  }

  /** The {@code data:} of an SSE {@code event: state}. */
  public static Map<String, Object> state(BuildRecord build) {
    BuildStatus status = build.status();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("state", status.state().name());
    view.put("outcome", status.outcome() == null ? null : status.outcome().name());
    view.put("hash", text(status.hash()));
    view.put("digest", text(status.digest()));
    view.put("imageRef", build.imageRef());
    view.put("cacheRef", status.cacheRef());
    view.put("builder", status.builder());
    view.put("error", status.error());
    view.put("message", status.message());
    return view;
  }

  /** The answer of {@code POST /v1/builds} and {@code POST /v1/builds/{id}/context}. */
  public static Map<String, Object> accepted(BuildRecord build, String cacheRefPrefix) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", build.id().toString());
    view.put("sequence", build.sequence());
    view.put("state", build.state().name());
    view.put("imageRef", build.imageRef());
    view.put("cacheRef", cacheRefPrefix);
    return view;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
