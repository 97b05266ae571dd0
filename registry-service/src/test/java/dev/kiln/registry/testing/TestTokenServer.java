package dev.kiln.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Docker token service for tests, in the JVM: checks basic credentials, grants what a policy
 * allows of the asked scopes, and signs RS256 JWTs whose {@code x5c} header carries a self-signed
 * certificate that the registry trusts through {@code rootcertbundle}.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/jwt/">token authentication
 *     implementation (the JWT's claims)</a>
 */
public final class TestTokenServer implements AutoCloseable {

  public static final String SERVICE = "kiln-test-registry";
  public static final String ISSUER = "kiln-test-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The actions {@code user} (null when anonymous) may take on {@code repository}. */
  @FunctionalInterface
  public interface Policy {
    Set<String> allowed(String user, String repository);
  }

  /** A token request as the server saw it. */
  public record Request(String user, String service, List<String> scopes) {}

  private final HttpServer server;
  private final KeyPair keys;
  private final X509Certificate certificate;
  private final Map<String, String> users;
  private final Policy policy;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Duration lifetime = Duration.ofMinutes(5);
  private volatile String tokenField = "token";

  public TestTokenServer(Map<String, String> users, Policy policy) throws Exception {
    this.users = Map.copyOf(users);
    this.policy = policy;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=kiln test token issuer");
    certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** Writes the certificate and returns the registry's {@code auth:} YAML trusting it. */
  public String registryAuth(Path dir) throws IOException {
    Path bundle = dir.resolve("token-issuer.pem");
    Files.writeString(
        bundle,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(encoded())
            + "\n-----END CERTIFICATE-----\n");
    return """
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: %s
        """
        .formatted(realm(), SERVICE, ISSUER, bundle);
  }

  /** How long issued tokens live ({@code expires_in}); zero leaves the field out. */
  public void lifetime(Duration value) {
    lifetime = value;
  }

  /** Answers with {@code access_token} instead of {@code token} (OAuth2 style). */
  public void answerAsAccessToken() {
    tokenField = "access_token";
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** A token for {@code user} with the policy's grants on these scopes, for test pushers. */
  public String issue(String user, List<String> scopes) {
    return sign(user, scopes);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String user = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
      if ("!".equals(user)) {
        reply(exchange, 401, Map.of("details", "wrong user name or password"));
        return;
      }
      Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
      List<String> scopes = query.getOrDefault("scope", List.of());
      String service = query.getOrDefault("service", List.of("")).getFirst();
      requests.add(new Request(user, service, scopes));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(tokenField, sign(user, scopes));
      if (!lifetime.isZero()) {
        body.put("expires_in", lifetime.toSeconds());
      }
      body.put("issued_at", Instant.now().toString());
      reply(exchange, 200, body);
    }
  }

  /** The user name, null when anonymous, "!" when the credentials are wrong. */
  private String authenticate(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return null;
    }
    String pair =
        new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    String user = pair.substring(0, colon);
    return pair.substring(colon + 1).equals(users.get(user)) ? user : "!";
  }

  private String sign(String user, List<String> scopes) {
    List<Map<String, Object>> access = new ArrayList<>();
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length != 3 || !parts[0].equals("repository")) {
        continue;
      }
      Set<String> allowed = policy.allowed(user, parts[1]);
      List<String> granted =
          List.of(parts[2].split(",")).stream().filter(allowed::contains).toList();
      access.add(Map.of("type", "repository", "name", parts[1], "actions", granted));
    }
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", user == null ? "" : user);
    claims.put("aud", SERVICE);
    claims.put("exp", now + Math.max(60, lifetime.toSeconds()));
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    Map<String, Object> header =
        Map.of(
            "typ",
            "JWT",
            "alg",
            "RS256",
            "x5c",
            List.of(Base64.getEncoder().encodeToString(encoded())));
    try {
      String signed =
          base64Url(JSON.writeValueAsBytes(header))
              + "."
              + base64Url(JSON.writeValueAsBytes(claims));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(keys.getPrivate());
      signature.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + base64Url(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException("test token server could not sign a token", e);
    }
  }

  private byte[] encoded() {
    try {
      return certificate.getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static void reply(HttpExchange exchange, int status, Map<String, Object> body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
