package dev.kiln.gateway;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the gateway with its configuration from the environment until the process is stopped. */
public final class GatewayMain {
  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  public static void main(String[] args) throws InterruptedException {
    Gateway.Config config;
    try {
      config = Gateway.Config.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("kiln gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    Gateway gateway;
    try {
      gateway = new Gateway(config).start();
    } catch (RuntimeException e) {
      log.error("kiln gateway could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "kiln-gateway-shutdown"));
    stopped.await();
  }
}
