package dev.kiln.gateway;

import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.gateway.build.BuildRepository;
import dev.kiln.gateway.completion.CompletionHandler;
import dev.kiln.gateway.completion.ProgressBarrier;
import dev.kiln.gateway.completion.Retagger;
import dev.kiln.gateway.completion.RetryingRetagger;
import dev.kiln.gateway.completion.Sleeper;
import dev.kiln.gateway.kafka.EventConsumer;
import dev.kiln.gateway.progress.ProgressHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The gateway's two consumer-group members: progress into the event log, completions into tags. */
final class GatewayConsumers {
  static final String PROGRESS_GROUP = "kiln-gateway-progress";
  static final String COMPLETIONS_GROUP = "kiln-gateway-completions";

  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final int RETAG_ATTEMPTS = 4;
  private static final Duration RETAG_FIRST_BACKOFF = Duration.ofMillis(250);
  // How long a completion waits for the progress updates that precede it.
  private static final Duration PROGRESS_MAX_WAIT = Duration.ofSeconds(5);

  private GatewayConsumers() {}

  /** Creates the topics when missing and starts both consumers; the caller closes them. */
  static List<AutoCloseable> start(
      Gateway.Config config, BuildRepository builds, Retagger retagger, Clock clock) {
    try {
      Topics.ensureCreated(config.kafkaBootstrap(), Topics.DEFAULT_PARTITIONS, (short) 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kafka topics", e);
    }
    ProgressHandler progress = new ProgressHandler(builds, clock);
    CompletionHandler completions =
        new CompletionHandler(
            builds,
            new RetryingRetagger(retagger, Sleeper.REAL, RETAG_ATTEMPTS, RETAG_FIRST_BACKOFF),
            clock,
            new ProgressBarrier(builds, clock, Sleeper.REAL, PROGRESS_MAX_WAIT));
    EventConsumer progressConsumer =
        new EventConsumer(
                config.kafkaBootstrap(),
                PROGRESS_GROUP,
                Topics.BUILD_PROGRESS,
                record ->
                    EventConsumer.decode(BuildProgress.parser(), record)
                        .ifPresent(event -> progress.handle(event, EventConsumer.source(record))),
                RETRY_PAUSE)
            .start();
    EventConsumer completionConsumer =
        new EventConsumer(
                config.kafkaBootstrap(),
                COMPLETIONS_GROUP,
                Topics.BUILD_COMPLETED,
                record ->
                    EventConsumer.decode(BuildCompleted.parser(), record)
                        .ifPresent(completions::handle),
                RETRY_PAUSE)
            .start();
    return List.of(progressConsumer, completionConsumer);
  }
}
