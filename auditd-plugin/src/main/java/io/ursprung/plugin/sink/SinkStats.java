package io.ursprung.plugin.sink;

/**
 * Counters of a sink.
 *
 * @param accepted events handed to the sink
 * @param sent events the destination confirmed (Kafka acknowledged, or written to the file)
 * @param spooled events written to the on-disk spool because Kafka was unreachable (they count as
 *     sent again once drained)
 * @param dropped events lost with a count: spool full, or a record Kafka can never take
 * @param spoolPending events waiting in the spool now
 * @param spoolBytes bytes the spool occupies on disk now
 */
public record SinkStats(
    long accepted, long sent, long spooled, long dropped, long spoolPending, long spoolBytes) {

  /** All zeros. */
  public static final SinkStats NONE = new SinkStats(0, 0, 0, 0, 0, 0);
}
