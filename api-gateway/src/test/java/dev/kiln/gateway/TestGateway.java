package dev.kiln.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.context.ContextLimits;
import dev.kiln.gateway.build.BuildRepository;
import dev.kiln.gateway.completion.CompletionHandler;
import dev.kiln.gateway.completion.LastBuildRepository;
import dev.kiln.gateway.completion.ProgressBarrier;
import dev.kiln.gateway.completion.RetryingRetagger;
import dev.kiln.gateway.completion.Sleeper;
import dev.kiln.gateway.db.Database;
import dev.kiln.gateway.http.Json;
import dev.kiln.gateway.progress.ProgressHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A gateway on a fresh database with Kafka and the registry-service replaced by fakes, plus an HTTP
 * client for its API.
 */
public final class TestGateway implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token";
  public static final String URL_SECRET = "test-url-secret";
  public static final String REGISTRY = "127.0.0.1:5100";

  /** One HTTP answer. */
  public record Response(int status, String body, HttpHeaders headers) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("response is not JSON: " + body, e);
      }
    }

    public String error() {
      return json().path("error").asText();
    }
  }

  private final TestDatabase database;
  private final Gateway gateway;
  private final FakePublisher publisher = new FakePublisher();
  private final FakeRetagger retagger = new FakeRetagger();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path contextDir;
  private Database sideDatabase;

  private TestGateway(Class<?> testClass, ContextLimits limits, Clock clock) {
    database = TestDatabase.create(testClass);
    try {
      contextDir = Files.createTempDirectory("kiln-gw-contexts");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Gateway.Config config =
        new Gateway.Config(
            "127.0.0.1:1",
            database.url(),
            database.user(),
            database.password(),
            "127.0.0.1",
            0,
            "http://127.0.0.1:8480",
            contextDir,
            URL_SECRET,
            ADMIN_TOKEN,
            REGISTRY,
            "kiln",
            "127.0.0.1:1",
            limits,
            64 * 1024);
    gateway = new Gateway(config, clock, publisher, retagger, false).start();
  }

  public static TestGateway start(Class<?> testClass) {
    return new TestGateway(testClass, ContextLimits.DEFAULT, Clock.systemUTC());
  }

  public static TestGateway start(Class<?> testClass, Clock clock) {
    return new TestGateway(testClass, ContextLimits.DEFAULT, clock);
  }

  public static TestGateway start(Class<?> testClass, ContextLimits limits) {
    return new TestGateway(testClass, limits, Clock.systemUTC());
  }

  public Gateway gateway() {
    return gateway;
  }

  public TestDatabase database() {
    return database;
  }

  public FakePublisher publisher() {
    return publisher;
  }

  public FakeRetagger retagger() {
    return retagger;
  }

  /** Creates a namespace token through the admin API. */
  public String token(String org, String namespace) {
    Response response =
        send("POST", "/v1/admin/tokens", ADMIN_TOKEN, Map.of("org", org, "namespace", namespace));
    if (response.status() != 201) {
      throw new IllegalStateException("token creation failed: " + response);
    }
    return response.json().path("token").asText();
  }

  public Response send(String method, String path, String token, Object jsonBody) {
    HttpRequest.BodyPublisher body =
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(
                jsonBody instanceof String s ? s : Json.writeString(jsonBody));
    return send(
        request(path, token).method(method, body).header("Content-Type", "application/json"));
  }

  public Response sendBytes(String method, String path, String token, byte[] body) {
    return send(
        request(path, token)
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/x-tar"));
  }

  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  public Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The gateway's builds table through a second pool, for handlers driven by tests. */
  public synchronized BuildRepository builds() {
    if (sideDatabase == null) {
      sideDatabase = Database.open(database.url(), database.user(), database.password(), 4);
    }
    return new BuildRepository(sideDatabase.jdbi());
  }

  /** A completion handler on the gateway's database that retags through {@link #retagger()}. */
  public CompletionHandler completions() {
    return new CompletionHandler(
        builds(),
        new RetryingRetagger(retagger, duration -> {}, 3, Duration.ofMillis(1)),
        Clock.systemUTC(),
        new ProgressBarrier(builds(), Clock.systemUTC(), Sleeper.REAL, Duration.ofSeconds(5)));
  }

  public ProgressHandler progress() {
    return new ProgressHandler(builds(), Clock.systemUTC());
  }

  public LastBuildRepository lastBuilds() {
    builds();
    return new LastBuildRepository(sideDatabase.jdbi());
  }

  public Path contextDir() {
    return contextDir;
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public synchronized void close() {
    gateway.close();
    if (sideDatabase != null) {
      sideDatabase.close();
    }
    database.close();
  }
}
