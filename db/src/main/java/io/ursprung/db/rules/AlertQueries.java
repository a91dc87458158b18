package io.ursprung.db.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** Lists the alerts of {@code ALERT} rule actions, newest event first. */
public final class AlertQueries {
  private static final String COLUMNS =
      "id, rule_id, action_index, message, host, event_id, event_type, event_time, pid, path,"
          + " raised_at";

  private final DataSource dataSource;

  public AlertQueries(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Alerts whose event happened at or after {@code since} (null: all), optionally of one host,
   * newest first.
   *
   * @param limit at most this many (1 to 10000)
   * @param offset skip this many first, for paging
   */
  public List<Alert> list(Instant since, String host, int limit, int offset) throws SQLException {
    if (limit < 1 || limit > 10_000 || offset < 0) {
      throw new IllegalArgumentException("limit 1..10000 and offset >= 0");
    }
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM alerts WHERE (?::timestamptz IS NULL OR event_time >= ?)"
            + " AND (?::text IS NULL OR host = ?)"
            + " ORDER BY event_time DESC, id DESC LIMIT ? OFFSET ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Timestamp t = since == null ? null : Timestamp.from(since);
      ps.setTimestamp(1, t);
      ps.setTimestamp(2, t);
      ps.setString(3, host);
      ps.setString(4, host);
      ps.setInt(5, limit);
      ps.setInt(6, offset);
      List<Alert> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Alert(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getTimestamp(8).toInstant(),
                  (Integer) rs.getObject(9),
                  rs.getString(10),
                  rs.getTimestamp(11).toInstant()));
        }
      }
      return out;
    }
  }

  /** How many alerts there are in all. */
  public long count() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM alerts");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
