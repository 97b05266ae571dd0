package dev.kiln.gateway.admin;

import dev.kiln.core.InvalidInputException;
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
import java.util.List;
import java.util.Map;

/** {@code POST /v1/admin/tokens} and {@code PUT /v1/admin/orgs/{org}/variables/{name}}. */
public final class AdminApi {
  private static final List<String> KNOWN_VARIABLES =
      List.of(
          OrgVariables.SMART_BUILDS,
          OrgVariables.SMART_BUILDS_OKTETO,
          OrgVariables.CACHE_NAMESPACE);
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
    String org = org(required(body.org(), "org"), "field org");
    String namespace = required(body.namespace(), "namespace");
    try {
      Names.namespace(namespace);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest("field namespace: " + e.getMessage());
    }
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
    String org = org(call.pathParam("org"), "the organisation in the URL");
    String name = call.pathParam("name");
    if (!KNOWN_VARIABLES.contains(name)) {
      throw ApiException.badRequest(
          "variable name '"
              + name
              + "' is not a known admin variable; use one of "
              + String.join(", ", KNOWN_VARIABLES));
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
      try {
        Names.namespace(value);
      } catch (InvalidInputException e) {
        throw ApiException.badRequest("field value: " + e.getMessage());
      }
      claims.forCacheVariable(org, value);
    }
    variables.put(org, name, value, clock.instant());
    call.sendStatus(204);
  }

  /** Organisations follow the namespace grammar; the message names the org, not a namespace. */
  private static String org(String value, String where) {
    try {
      return Names.namespace(value);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(
          where
              + ": the organisation '"
              + value
              + "' is invalid; use 1 to 63 lowercase letters, digits or '-', starting and ending"
              + " with a letter or digit");
    }
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest("field " + field + " is required; set it in the request body");
    }
    return value;
  }
}
