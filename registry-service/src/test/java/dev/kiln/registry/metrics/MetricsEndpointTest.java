package dev.kiln.registry.metrics;

import static dev.kiln.registry.testing.ServiceHarness.exists;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.registry.RegistryService;
import dev.kiln.registry.testing.RegistryProcess;
import dev.kiln.registry.testing.ServiceHarness;
import dev.kiln.registry.testing.TestContent;
import dev.kiln.registry.testing.TestPusher;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code KILN_METRICS_ADDR}: call counts and latencies in the Prometheus text format. */
class MetricsEndpointTest {

  @Test
  void servesCallsAndRegistryRequestsByOperationAndOutcome() throws Exception {
    try (RegistryProcess registry = RegistryProcess.start()) {
      new TestPusher(registry.host())
          .push("kiln/api", "v1", TestContent.ociImage("metrics", "amd64"));
      RegistryService.Config config =
          ServiceHarness.config(registry.host())
              .withMetricsAddress(Optional.of(new InetSocketAddress("127.0.0.1", 0)));
      try (ServiceHarness service = new ServiceHarness(config)) {
        service.stub().exists(exists(registry.host() + "/kiln/api:v1"));
        service.stub().exists(exists(registry.host() + "/kiln/api:nope"));

        HttpResponse<String> scrape =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + service.service().metricsPort().orElseThrow()
                                    + "/metrics"))
                        .build(),
                    BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(scrape.body())
            .contains("kiln_registry_rpc_seconds_count{method=\"exists\",outcome=\"ok\"} 1")
            .contains("kiln_registry_rpc_seconds_count{method=\"exists\",outcome=\"absent\"} 1")
            .contains(
                "kiln_registry_http_seconds_count{operation=\"manifest.head\",outcome=\"200\"} 1")
            .contains(
                "kiln_registry_http_seconds_count{operation=\"manifest.head\",outcome=\"404\"} 1")
            .contains("kiln_registry_circuit_state{host=\"" + registry.host() + "\"} 0");
      }
    }
  }
}
