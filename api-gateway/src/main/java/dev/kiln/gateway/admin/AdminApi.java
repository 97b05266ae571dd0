package dev.kiln.gateway.admin;

import dev.kiln.core.image.Names;
import dev.kiln.gateway.auth.Principal;
import dev.kiln.gateway.auth.TokenRepository;
import dev.kiln.gateway.auth.Tokens;
import dev.kiln.gateway.http.Access;
import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.http.Call;
import dev.kiln.gateway.http.Router;
import dev.kiln.gateway.namespace.NamespaceClaims;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code POST /v1/admin/tokens} and {@code PUT /v1/admin/orgs/{org}/variables/{name}}. */
public final class AdminApi {
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,127}");
  private static final int MAX_VALUE_CHARS = 4096;

  /** Body of {@code POST /v1/admin/tokens}. */
  public record TokenBody(String org, String namespace) {}

  /** Body of {@code PUT /v1/admin/orgs/{org}/variables/{name}}. */
  public record VariableBody(String value) {}

  private final TokenRepository tokens;
  private final Tokens generator;
  private final OrgVariables variables;
  private final NamespaceClaims claims;
  private final Clock clock;

  public AdminApi(
      TokenRepository tokens,
      Tokens generator,
      OrgVariables variables,
      NamespaceClaims claims,
      Clock clock) {
    this.tokens = tokens;
    this.generator = generator;
    this.variables = variables;
    this.claims = claims;
    this.clock = clock;
  }

  public void register(Router router) {
    router.route("POST", "/v1/admin/tokens", Access.ADMIN, this::createToken);
    router.route("PUT", "/v1/admin/orgs/{org}/variables/{name}", Access.ADMIN, this::putVariable);
  }

  private void createToken(Call call) throws IOException {
    TokenBody body = call.readJson(TokenBody.class);
    String org = Names.namespace(required(body.org(), "org"));
    String namespace = Names.namespace(required(body.namespace(), "namespace"));
    String cacheNamespace = variables.cacheNamespace(org);
    if (namespace.equals(cacheNamespace)) {
      throw ApiException.badRequest(
          "field namespace: '"
              + namespace
              + "' is the cache namespace of organisation "
              + org
              + "; choose another namespace for the token");
    }
    claims.forToken(org, namespace);
    String token = generator.newToken();
    tokens.insert(Tokens.sha256Hex(token), new Principal(org, namespace), clock.instant());
    call.sendJson(201, Map.of("token", token, "org", org, "namespace", namespace));
  }

  private void putVariable(Call call) throws IOException {
    String org = Names.namespace(call.pathParam("org"));
    String name = call.pathParam("name");
    if (!VARIABLE_NAME.matcher(name).matches()) {
      throw ApiException.badRequest(
          "variable name '"
              + name
              + "' is invalid; use upper-case letters, digits and '_' (e.g. "
              + OrgVariables.SMART_BUILDS
              + ")");
    }
    VariableBody body = call.readJson(VariableBody.class);
    String value = required(body.value(), "value");
    if (value.length() > MAX_VALUE_CHARS) {
      throw ApiException.badRequest(
          "field value has " + value.length() + " characters; at most " + MAX_VALUE_CHARS);
    }
    boolean smartBuilds =
        name.equals(OrgVariables.SMART_BUILDS) || name.equals(OrgVariables.SMART_BUILDS_OKTETO);
    if (smartBuilds && OrgVariables.parseBoolean(value).isEmpty()) {
      throw ApiException.badRequest(
          "field value: " + name + " must be true or false, not '" + value + "'");
    }
    if (name.equals(OrgVariables.CACHE_NAMESPACE)) {
      Names.namespace(value);
      claims.forCacheVariable(org, value);
    }
    variables.put(org, name, value, clock.instant());
    call.sendStatus(204);
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest("field " + field + " is required; set it in the request body");
    }
    return value;
  }
}
