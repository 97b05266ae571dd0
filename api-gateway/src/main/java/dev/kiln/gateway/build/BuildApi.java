package dev.kiln.gateway.build;

import dev.kiln.core.image.Digest;
import dev.kiln.gateway.admin.OrgVariables;
import dev.kiln.gateway.auth.Principal;
import dev.kiln.gateway.http.Access;
import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.http.Call;
import dev.kiln.gateway.http.Router;
import dev.kiln.gateway.namespace.NamespaceClaims;
import java.io.IOException;
import java.util.UUID;

/**
 * {@code POST /v1/builds}, {@code GET /v1/builds/{id}} and {@code POST /v1/builds/{id}/context}.
 */
public final class BuildApi {
  /** Body of {@code POST /v1/builds/{id}/context}. */
  public record ContextBody(String contextDigest) {}

  private final BuildService service;
  private final BuildRequestValidator validator;
  private final OrgVariables variables;
  private final NamespaceClaims claims;

  public BuildApi(
      BuildService service,
      BuildRequestValidator validator,
      OrgVariables variables,
      NamespaceClaims claims) {
    this.service = service;
    this.validator = validator;
    this.variables = variables;
    this.claims = claims;
  }

  public void register(Router router) {
    router.route("POST", "/v1/builds", Access.TOKEN, this::create);
    router.route("GET", "/v1/builds/{id}", Access.TOKEN, this::get);
    router.route("POST", "/v1/builds/{id}/context", Access.TOKEN, this::attachContext);
  }

  private void create(Call call) throws IOException {
    CreateBuildBody body = call.readJson(CreateBuildBody.class);
    Principal principal = call.principal();
    String cacheNamespace = variables.cacheNamespace(principal.org());
    ValidBuildRequest request = validator.validate(body, principal, cacheNamespace);
    claims.forBuild(principal.org(), request.namespace(), cacheNamespace);
    BuildRecord build = service.create(request, principal, cacheNamespace);
    call.sendJson(202, BuildViews.accepted(build, build.cacheRepository()));
  }

  private void get(Call call) throws IOException {
    BuildRecord build = service.owned(buildId(call), call.principal());
    call.sendJson(200, BuildViews.record(build));
  }

  private void attachContext(Call call) throws IOException {
    UUID id = buildId(call);
    ContextBody body = call.readJson(ContextBody.class);
    if (body.contextDigest() == null) {
      throw ApiException.badRequest(
          "field contextDigest is required; send the sha256 digest of the uploaded context");
    }
    service.owned(id, call.principal());
    Digest digest = validator.context(body.contextDigest(), call.principal().org());
    BuildRecord build = service.attachContext(id, call.principal(), digest);
    call.sendJson(202, BuildViews.accepted(build, build.cacheRepository()));
  }

  /** Parses the {id} path parameter; 400 when it is not a UUID. */
  public static UUID buildId(Call call) {
    String id = call.pathParam("id");
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "build id '" + id + "' is not a UUID; use the build id kiln printed");
    }
  }
}
