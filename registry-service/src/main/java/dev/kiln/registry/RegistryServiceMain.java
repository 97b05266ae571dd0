package dev.kiln.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the registry-service until SIGTERM, configured from {@code KILN_*} variables. */
public final class RegistryServiceMain {

  private static final Logger log = LoggerFactory.getLogger(RegistryServiceMain.class);

  private RegistryServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    RegistryService.Config config;
    try {
      config = RegistryService.Config.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("registry-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    RegistryService service = new RegistryService(config);
    service.start();
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "registry-service-shutdown"));
    log.info(
        "registry-service listening on {}:{} (plain HTTP to {}, {})",
        config.grpcAddress().getHostString(),
        service.port(),
        config.insecureHosts(),
        config.credentials().map(c -> "basic auth as " + c.username()).orElse("anonymous"));
    service.awaitTermination();
  }
}
