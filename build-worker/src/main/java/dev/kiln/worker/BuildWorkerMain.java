package dev.kiln.worker;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a build-worker configured from the environment until SIGTERM / SIGINT. */
public final class BuildWorkerMain {
  private static final Logger log = LoggerFactory.getLogger(BuildWorkerMain.class);

  private BuildWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    BuildWorkerConfig config;
    try {
      config = BuildWorkerConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    BuildWorker worker = BuildWorker.create(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping the build-worker");
                  worker.close();
                  stopped.countDown();
                },
                "kiln-worker-shutdown"));
    worker.start();
    stopped.await();
  }
}
