package io.ursprung.db.status;

import java.time.Instant;

/**
 * The latest {@code host.status} of a host ({@code host_status}). Kernel numbers are null when the
 * producer could not read them; {@code kernelReason} then says why.
 *
 * @param host the host
 * @param reported the report's event time
 * @param received when the consumer stored it
 * @param producer name/version of the producer
 * @param intervalSeconds how often the producer reports, null if it did not say
 * @param kernelAvailable whether the kernel audit status was readable
 * @param kernelReason why not
 * @param kernelEnabled 0 off, 1 on, 2 locked
 * @param kernelLost records the kernel dropped since boot
 * @param kernelBacklog records waiting in the kernel queue
 * @param kernelBacklogLimit the queue's bound
 * @param eventsPublished events the producer produced since it started
 * @param inputDropped input lines the producer dropped
 * @param sinkDropped events the producer's sink dropped
 * @param spooled events spooled to disk
 * @param spoolPending events in the spool not yet sent
 */
public record HostReport(
    String host,
    Instant reported,
    Instant received,
    String producer,
    Long intervalSeconds,
    boolean kernelAvailable,
    String kernelReason,
    Long kernelEnabled,
    Long kernelLost,
    Long kernelBacklog,
    Long kernelBacklogLimit,
    long eventsPublished,
    long inputDropped,
    long sinkDropped,
    long spooled,
    long spoolPending) {}
