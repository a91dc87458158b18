package io.ursprung.db.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One consumer instance's report ({@code consumer_status}).
 *
 * @param instanceId unique per process and source: {@code <host>/<source>/<pid>-<start>}
 * @param source auditd, scale, jobs, camflow
 * @param topic the topic read (CamFlow: the MQTT filter of the provenance topics)
 * @param groupId the consumer group (CamFlow: the MQTT client id)
 * @param hostName the machine the consumer runs on
 * @param started when the instance started
 * @param updated when this report was made
 * @param running false in the final report at shutdown
 * @param eventsTotal events stored since the instance started
 * @param batchesTotal batches committed since start
 * @param deadLetteredTotal messages sent to the dead-letter topic (CamFlow: dead-letter table)
 *     since start
 * @param eventsPerSecond events stored per second over the last report interval
 * @param lag messages behind the end of the assigned partitions, null when not known (always for
 *     CamFlow: MQTT has no lag)
 * @param lastBatchMs latency of the last batch, null before the first
 */
public record ConsumerStatus(
    String instanceId,
    String source,
    String topic,
    String groupId,
    String hostName,
    Instant started,
    Instant updated,
    boolean running,
    long eventsTotal,
    long batchesTotal,
    long deadLetteredTotal,
    double eventsPerSecond,
    Long lag,
    Double lastBatchMs) {
  public ConsumerStatus {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(updated, "updated");
  }
}
