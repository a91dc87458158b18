package io.ursprung.consumer;

import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.EventCodec;
import io.ursprung.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the graph from {@code event_archive}: every archived event is read back and mapped again
 * by the consumer's own mappers ({@link AuditdMapper} for the events of plugins and provd, {@link
 * ScaleMapper} for Spectrum Scale watch records), and written through the same idempotent store.
 * Rows that are present stay as they are; rows that are missing are made again. With {@code clear},
 * the derived tables are emptied first, so the graph becomes exactly what the archive gives (after
 * a mapping fix, say).
 *
 * <p>The archive is read in one snapshot, host by host in event time (ties in Kafka's order), with
 * a server-side cursor; events archived after the start are the live consumers' business. Rules are
 * not run again (their actions ran when the events first arrived). An archived event that the
 * current code cannot read any more is counted, logged and skipped; it stays in the archive.
 */
public final class ArchiveReplay {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveReplay.class);

  /** The producer name Spectrum Scale records are archived under (see ScaleMapper). */
  private static final String MMWATCH = "mmwatch";

  /** What a replay did. */
  public record Result(
      long events, long batches, Map<String, Long> byHost, List<String> unreadable) {}

  private final DataSource dataSource;
  private final GraphStore store;
  private final Duration renameTimeout;
  private final int batchSize;

  /**
   * @param dataSource the store's pool
   * @param store the graph store of that pool (its skew applies to Scale events)
   * @param renameTimeout how long a Scale rename half waits for its partner, in event time
   * @param batchSize events per transaction
   */
  public ArchiveReplay(
      DataSource dataSource, GraphStore store, Duration renameTimeout, int batchSize) {
    this.dataSource = dataSource;
    this.store = store.forArchiveReplay();
    this.renameTimeout = renameTimeout;
    this.batchSize = batchSize;
  }

  /**
   * Replays the archived events of {@code hosts} (every host when empty).
   *
   * @param clear empty the derived tables first (only with every host)
   */
  public Result run(List<String> hosts, boolean clear) throws SQLException {
    if (clear && !hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "clearing empties the derived tables of every host, so it replays every host");
    }
    if (clear) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        List<String> others = GraphStore.sourcesBesidesTheArchive(c);
        if (!others.isEmpty()) {
          throw new IllegalStateException(
              "the graph also holds rows that are not in the event archive, from "
                  + String.join(" and ", others)
                  + ": emptying the tables would lose them for good. Repair without --clear.");
        }
        GraphStore.truncateDerived(c);
        c.commit();
      }
      LOG.info("derived tables emptied");
    }
    EventCodec codec = new EventCodec();
    AuditdMapper audit = new AuditdMapper(codec, store);
    ScaleMapper scale = new ScaleMapper(store, renameTimeout);
    long events = 0;
    long batches = 0;
    Map<String, Long> byHost = new TreeMap<>();
    List<String> unreadable = new ArrayList<>();
    String sql =
        "SELECT host, id, producer, payload, source_topic, source_partition, source_offset"
            + " FROM event_archive"
            + (hosts.isEmpty() ? "" : " WHERE host = ANY (?)")
            // Events of one time in the order the consumers met them (Kafka's, per host): the
            // store's merges settle ties of time by arrival (a vfork child's start and exec in
            // one millisecond), so that order makes the same rows.
            + " ORDER BY host, event_time, source_topic, source_partition, source_offset, id";
    try (Connection c = dataSource.getConnection()) {
      // A cursor needs a transaction: the archive is read in one snapshot, a batch at a time.
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(Math.max(100, batchSize));
        if (!hosts.isEmpty()) {
          ps.setArray(1, c.createArrayOf("text", hosts.toArray()));
        }
        try (ResultSet rs = ps.executeQuery()) {
          String current = null;
          while (rs.next()) {
            String host = rs.getString(1);
            if (!host.equals(current)) {
              // One host's events together: its Scale rename halves meet in event time, and
              // a fresh Scale mapper keeps another cluster's later clock from expiring them.
              batches += flush(audit) + flush(scale);
              scale = new ScaleMapper(store, renameTimeout);
              current = host;
            }
            byte[] value = rs.getString(4).getBytes(StandardCharsets.UTF_8);
            String topic = rs.getString(5);
            int partition = rs.getInt(6);
            long offset = rs.getLong(7);
            SourceHandler handler = MMWATCH.equals(rs.getString(3)) ? scale : audit;
            try {
              handler.add(null, value, topic, partition, offset);
            } catch (MalformedEventException e) {
              unreadable.add(host + "/" + rs.getString(2) + ": " + e.getMessage());
              LOG.warn(
                  "archived event {}/{} cannot be read: {}", host, rs.getString(2), e.getMessage());
              continue;
            }
            events++;
            byHost.merge(host, 1L, Long::sum);
            if (handler.events() >= batchSize) {
              batches += flush(handler);
            }
          }
          batches += flush(audit) + flush(scale);
        }
      } finally {
        c.rollback();
      }
    }
    return new Result(events, batches, byHost, unreadable);
  }

  private static int flush(SourceHandler handler) throws SQLException {
    if (handler.events() == 0) {
      return 0;
    }
    handler.write();
    handler.reset();
    return 1;
  }
}
