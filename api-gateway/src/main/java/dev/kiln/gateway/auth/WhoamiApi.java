package dev.kiln.gateway.auth;

import dev.kiln.gateway.admin.OrgVariables;
import dev.kiln.gateway.http.Access;
import dev.kiln.gateway.http.Call;
import dev.kiln.gateway.http.Router;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/whoami}: what the CLI prints as "Using <namespace> @ <gateway>". */
public final class WhoamiApi {
  private final OrgVariables variables;
  private final String registry;

  public WhoamiApi(OrgVariables variables, String registry) {
    this.variables = variables;
    this.registry = registry;
  }

  public void register(Router router) {
    router.route("GET", "/v1/whoami", Access.TOKEN, this::whoami);
  }

  private void whoami(Call call) throws IOException {
    Principal principal = call.principal();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("org", principal.org());
    view.put("namespace", principal.namespace());
    view.put("registry", registry);
    view.put("cacheNamespace", variables.cacheNamespace(principal.org()));
    call.sendJson(200, view);
  }
}
