package dev.kiln.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The configuration of a single-node KRaft cluster (one process is broker and controller) on
 * loopback, tuned for tests: small internal topics, no rebalance delay.
 *
 * @param brokerPort the PLAINTEXT listener clients connect to
 * @param controllerPort the CONTROLLER listener of the single-voter quorum
 * @param logDir holds both the partition logs and the metadata log
 */
record KafkaNodeConfig(int brokerPort, int controllerPort, Path logDir) {

  static final int NODE_ID = 1;
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String HOST = "127.0.0.1";

  String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  /** The broker properties, with {@code overrides} applied last. */
  Map<String, String> properties(Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    // A static voter set: nothing to bootstrap dynamically for one node.
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put(
        "listeners",
        "PLAINTEXT://"
            + bootstrapServers()
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", "3");
    props.put("group.initial.rebalance.delay.ms", "0");
    // Kafka's defaults (50 partitions each) make the first group or transaction slow to start.
    props.put("offsets.topic.num.partitions", "5");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    // The log cleaner reserves this much heap up front; 2 MiB is plenty for tests.
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    props.putAll(overrides);
    return props;
  }
}
