package dev.kiln.hashsvc;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** Runs the hash-service until the process is told to stop. */
public final class HashServiceMain {
  private HashServiceMain() {}

  public static void main(String[] args) throws Exception {
    HashService service =
        new HashService(HashServiceConfig.fromEnv(System.getenv()), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  stopped.countDown();
                }));
    service.start();
    stopped.await();
  }
}
