package dev.kiln.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.gateway.auth.Principal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouterTest {
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    Credentials none =
        new Credentials() {
          @Override
          public Principal principal(String bearerToken) {
            throw ApiException.unauthorized("no tokens here");
          }

          @Override
          public void requireAdmin(String bearerToken) {
            throw ApiException.unauthorized("no admin here");
          }
        };
    Router router =
        new Router(none, 1024)
            .route(
                "GET",
                "/boom",
                Access.PUBLIC,
                call -> {
                  throw new IllegalStateException(
                      "ERROR: invalid byte sequence; SQL [INSERT INTO builds VALUES (:secret)]"
                          + " bound secret='hunter2'");
                });
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", router);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void unexpectedFailureAnswersAnErrorIdAndNoExceptionText() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/boom"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(Json.MAPPER.readTree(response.body()).path("error").asText())
        .matches(
            "the gateway failed unexpectedly \\(error id [0-9a-f-]{36}\\); retry, and report the"
                + " id if it persists");
    assertThat(response.body()).doesNotContain("SQL", "hunter2", "IllegalStateException");
  }
}
