package dev.kiln.events;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Kafka topics kiln's services talk over (DESIGN.md section 4). */
public final class Topics {
  /** key = request id; value = {@code BuildRequested}. */
  public static final String BUILD_REQUESTED = "build.requested";

  /** key = build hash; value = {@code BuildHashed}. */
  public static final String BUILD_HASHED = "build.hashed";

  /** key = request id; value = {@code BuildProgress}. */
  public static final String BUILD_PROGRESS = "build.progress";

  /** key = "namespace/image"; value = {@code BuildCompleted}. */
  public static final String BUILD_COMPLETED = "build.completed";

  public static final List<String> ALL =
      List.of(BUILD_REQUESTED, BUILD_HASHED, BUILD_PROGRESS, BUILD_COMPLETED);

  /** Partitions per topic; enough for a handful of worker replicas on one machine. */
  public static final int DEFAULT_PARTITIONS = 6;

  private Topics() {}

  /**
   * Creates every kiln topic that does not exist yet. Safe to call from every service at start-up
   * and concurrently: a topic created meanwhile by someone else counts as success.
   */
  public static void ensureCreated(String bootstrapServers, int partitions, short replication)
      throws InterruptedException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          ALL.stream()
              .filter(name -> !existing.contains(name))
              .map(name -> new NewTopic(name, partitions, replication))
              .toList();
      if (missing.isEmpty()) {
        return;
      }
      Map<String, org.apache.kafka.common.KafkaFuture<Void>> results =
          admin.createTopics(missing).values();
      for (var entry : results.entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "tried to create Kafka topic " + entry.getKey() + " but failed: " + e.getCause(),
                e.getCause());
          }
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "tried to list Kafka topics at "
              + bootstrapServers
              + " but failed; is the broker running? ("
              + e
              + ")",
          e);
    }
  }
}
