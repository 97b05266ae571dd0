package dev.kiln.registry;

import dev.kiln.registry.RegistryService.Config;
import dev.kiln.registry.RegistryService.Dependencies;
import dev.kiln.registry.auth.ChallengeAuthenticator;
import dev.kiln.registry.auth.CredentialStore;
import dev.kiln.registry.auth.DockerConfigCredentialStore;
import dev.kiln.registry.auth.StaticCredentialStore;
import dev.kiln.registry.auth.TokenClient;
import dev.kiln.registry.grpc.GrpcCallDeadline;
import dev.kiln.registry.grpc.RegistryGrpcService;
import dev.kiln.registry.lookup.ManifestLookup;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.oci.BlobClient;
import dev.kiln.registry.oci.OciClient;
import dev.kiln.registry.oci.RegistryTransport;
import dev.kiln.registry.resilience.CallDeadline;
import dev.kiln.registry.resilience.HostBreakers;
import dev.kiln.registry.resilience.Retrier;
import dev.kiln.registry.retag.Retagger;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the object graph of the service from its configuration; no container, just calls. */
final class ServiceWiring {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private ServiceWiring() {}

  static RegistryGrpcService grpcService(
      Config config, Dependencies dependencies, RegistryMetrics metrics) {
    CallDeadline deadline = new GrpcCallDeadline();
    HttpClient http = RegistryTransport.defaultHttpClient(CONNECT_TIMEOUT);
    TokenClient tokens =
        new TokenClient(http, dependencies.clock(), config.requestTimeout(), deadline, metrics);
    ChallengeAuthenticator authenticator =
        new ChallengeAuthenticator(credentials(config), tokens, dependencies.clock());
    Retrier retrier =
        new Retrier(
            config.retry(),
            new HostBreakers(config.breaker(), dependencies.clock(), metrics),
            deadline,
            dependencies.clock(),
            dependencies.sleeper(),
            dependencies.random(),
            metrics);
    RegistryTransport transport =
        new RegistryTransport(
            http, config.insecureHosts(), authenticator, config.requestTimeout(), retrier, metrics);
    OciClient manifests = new OciClient(transport);
    return new RegistryGrpcService(
        new ManifestLookup(manifests), new Retagger(manifests, new BlobClient(transport)), metrics);
  }

  /** Configured credentials first, then the Docker config's. */
  static CredentialStore credentials(Config config) {
    List<CredentialStore> stores = new ArrayList<>();
    config
        .credentials()
        .ifPresent(c -> stores.add(new StaticCredentialStore(c, config.authHosts())));
    config.dockerConfig().ifPresent(file -> stores.add(DockerConfigCredentialStore.load(file)));
    return CredentialStore.firstOf(stores);
  }
}
