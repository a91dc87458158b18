package io.ursprung.events;

import java.nio.charset.StandardCharsets;

/**
 * The Kafka record key of an event.
 *
 * <p>Why the host: the events of one host must be consumed in the order they were produced (a
 * process is started before it execs, opens before it closes, and a pipe joins two processes of the
 * same host), and Kafka orders only within a partition. Keying by host puts a host's events in one
 * partition, in order, while different hosts spread over partitions so that more consumer instances
 * in the same group scale out. It is also the distribution column of the graph tables (Citus), so a
 * consumer's batch touches one shard per host. A single very busy host cannot be split this way;
 * that is the accepted cost of correct ordering.
 */
public final class KafkaKeys {
  private KafkaKeys() {}

  /** The key for an event: its host in UTF-8. */
  public static byte[] keyFor(ProvEvent event) {
    return keyForHost(event.host());
  }

  /** The key for a host. */
  public static byte[] keyForHost(String host) {
    return host.getBytes(StandardCharsets.UTF_8);
  }
}
