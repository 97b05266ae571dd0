package dev.kiln.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the registry-service until SIGTERM, configured from {@code KILN_*} variables. */
public final class RegistryServiceMain {

  private static final Logger log = LoggerFactory.getLogger(RegistryServiceMain.class);

  private RegistryServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    RegistryService.Config config;
    RegistryService service;
    try {
      config = RegistryService.Config.fromEnvironment(System.getenv());
      service = new RegistryService(config);
      service.start();
    } catch (IllegalArgumentException e) {
      System.err.println("registry-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "registry-service-shutdown"));
    log.info(
        "registry-service listening on {}:{} (plain HTTP to {}; credentials: {}; Docker config: {};"
            + " metrics: {})",
        config.grpcAddress().getHostString(),
        service.port(),
        config.insecureHosts(),
        config
            .credentials()
            .map(
                c ->
                    c.username()
                        + (config.authHosts().isEmpty()
                            ? " for every registry"
                            : " for " + config.authHosts()))
            .orElse("none configured"),
        config.dockerConfig().map(Object::toString).orElse("none"),
        service
            .metricsPort()
            .map(
                p ->
                    "http://"
                        + config.metricsAddress().orElseThrow().getHostString()
                        + ":"
                        + p
                        + "/metrics")
            .orElse("off"));
    service.awaitTermination();
  }
}
