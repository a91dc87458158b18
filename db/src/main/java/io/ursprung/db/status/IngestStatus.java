package io.ursprung.db.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads and writes the ingest status tables. A consumer's report is one upsert in its own short
 * transaction with a statement time-out, so that a slow database delays the report, never a batch.
 */
public final class IngestStatus {
  /** Seconds a status statement may take before it is abandoned. */
  static final int TIMEOUT_SECONDS = 5;

  private final DataSource dataSource;

  public IngestStatus(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores {@code s}, replacing the instance's previous report. */
  public void upsert(ConsumerStatus s) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO consumer_status AS s (instance_id, source, topic, group_id,"
                    + " host_name, started, updated, running, events_total, batches_total,"
                    + " dead_lettered_total, events_per_second, lag, last_batch_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (instance_id) DO UPDATE SET updated = EXCLUDED.updated,"
                    + " running = EXCLUDED.running, events_total = EXCLUDED.events_total,"
                    + " batches_total = EXCLUDED.batches_total,"
                    + " dead_lettered_total = EXCLUDED.dead_lettered_total,"
                    + " events_per_second = EXCLUDED.events_per_second, lag = EXCLUDED.lag,"
                    + " last_batch_ms = EXCLUDED.last_batch_ms"
                    + " WHERE s.updated <= EXCLUDED.updated")) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      ps.setQueryTimeout(TIMEOUT_SECONDS);
      int i = 1;
      ps.setString(i++, s.instanceId());
      ps.setString(i++, s.source());
      ps.setString(i++, s.topic());
      ps.setString(i++, s.groupId());
      ps.setString(i++, s.hostName());
      ps.setObject(i++, utc(s.started()));
      ps.setObject(i++, utc(s.updated()));
      ps.setBoolean(i++, s.running());
      ps.setLong(i++, s.eventsTotal());
      ps.setLong(i++, s.batchesTotal());
      ps.setLong(i++, s.deadLetteredTotal());
      ps.setDouble(i++, s.eventsPerSecond());
      ps.setObject(i++, s.lag(), Types.BIGINT);
      ps.setObject(i++, s.lastBatchMs(), Types.DOUBLE);
      ps.executeUpdate();
    }
  }

  /** Every consumer instance's latest report, by instance id. */
  public List<ConsumerStatus> consumers() throws SQLException {
    List<ConsumerStatus> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT instance_id, source, topic, group_id, host_name, started, updated,"
                    + " running, events_total, batches_total, dead_lettered_total,"
                    + " events_per_second, lag, last_batch_ms FROM consumer_status"
                    + " ORDER BY instance_id")) {
      ps.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ConsumerStatus(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  instant(rs.getTimestamp(6)),
                  instant(rs.getTimestamp(7)),
                  rs.getBoolean(8),
                  rs.getLong(9),
                  rs.getLong(10),
                  rs.getLong(11),
                  rs.getDouble(12),
                  rs.getObject(13, Long.class),
                  rs.getObject(14, Double.class)));
        }
      }
    }
    return out;
  }

  /** Every host's latest status report, by host. */
  public List<HostReport> hosts() throws SQLException {
    List<HostReport> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT host, reported, received, producer, interval_seconds, kernel_available,"
                    + " kernel_reason, kernel_enabled, kernel_lost, kernel_backlog,"
                    + " kernel_backlog_limit, events_published, input_dropped, sink_dropped,"
                    + " spooled, spool_pending FROM host_status ORDER BY host")) {
      ps.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new HostReport(
                  rs.getString(1),
                  instant(rs.getTimestamp(2)),
                  instant(rs.getTimestamp(3)),
                  rs.getString(4),
                  rs.getObject(5, Long.class),
                  rs.getBoolean(6),
                  rs.getString(7),
                  rs.getObject(8, Long.class),
                  rs.getObject(9, Long.class),
                  rs.getObject(10, Long.class),
                  rs.getObject(11, Long.class),
                  rs.getLong(12),
                  rs.getLong(13),
                  rs.getLong(14),
                  rs.getLong(15),
                  rs.getLong(16)));
        }
      }
    }
    return out;
  }

  /** When each host (or cluster) last had an event stored, from the graph's hosts table. */
  public List<HostSeen> lastSeen() throws SQLException {
    List<HostSeen> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT host, kind, first_seen, last_seen FROM hosts ORDER BY host LIMIT 10000")) {
      ps.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new HostSeen(
                  rs.getString(1),
                  rs.getString(2),
                  instant(rs.getTimestamp(3)),
                  instant(rs.getTimestamp(4))));
        }
      }
    }
    return out;
  }

  /**
   * A host or cluster of the graph.
   *
   * @param kind host or cluster
   * @param firstSeen time of its first stored event
   * @param lastSeen time of its latest stored event (event time, not arrival)
   */
  public record HostSeen(String host, String kind, Instant firstSeen, Instant lastSeen) {}

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
