package io.ursprung.db;

import io.ursprung.events.EventCodec;
import io.ursprung.events.ProvEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * The archive of raw events. Writes are idempotent: an event whose (host, id) is already stored is
 * skipped, so a batch delivered twice changes nothing.
 */
public final class EventArchive {

  private static final String INSERT =
      "INSERT INTO event_archive (host, id, type, event_time, producer, payload)"
          + " VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (host, id) DO NOTHING";

  private final DataSource dataSource;
  private final EventCodec codec;

  public EventArchive(DataSource dataSource, EventCodec codec) {
    this.dataSource = dataSource;
    this.codec = codec;
  }

  /**
   * Stores events in one transaction on the given connection (the caller commits).
   *
   * @return how many were new
   */
  public int insert(Connection connection, Collection<ProvEvent> events) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      for (ProvEvent e : events) {
        ps.setString(1, e.host());
        ps.setString(2, e.id());
        ps.setString(3, e.type().wireName());
        ps.setTimestamp(4, Timestamp.from(e.time()));
        ps.setString(5, e.producer().name() + "/" + e.producer().version());
        ps.setString(6, codec.toJson(e));
        ps.addBatch();
      }
      int inserted = 0;
      for (int n : ps.executeBatch()) {
        inserted += Math.max(n, 0);
      }
      return inserted;
    }
  }

  /** Stores events in their own transaction. */
  public int insert(Collection<ProvEvent> events) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int n = insert(c, events);
        c.commit();
        return n;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The stored events of a host in time order, at most {@code limit}. */
  public List<ProvEvent> byHost(String host, int limit) throws SQLException {
    List<ProvEvent> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT payload::text FROM event_archive WHERE host = ?"
                    + " ORDER BY event_time, id LIMIT ?")) {
      ps.setString(1, host);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(codec.fromJson(rs.getString(1)));
        }
      }
    } catch (io.ursprung.events.MalformedEventException e) {
      throw new SQLException("archive holds an unreadable event: " + e.getMessage(), e);
    }
    return out;
  }

  /** How many events are stored. */
  public long count() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM event_archive");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
