package io.ursprung.consumer.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.rules.RuleId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code rule_work} table: insert in the batch transaction, claim, finish, retry, purge. */
final class WorkStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** Backoff after the n-th failure: 2^n seconds, at most ten minutes. */
  static Duration backoff(int attempts) {
    return Duration.ofSeconds(Math.min(600L, 1L << Math.min(attempts, 20)));
  }

  private final DataSource store;

  WorkStore(DataSource store) {
    this.store = store;
  }

  DataSource dataSource() {
    return store;
  }

  /**
   * Inserts work items on {@code c}, inside the caller's transaction. An item already there (the
   * batch was delivered again) is left alone, whatever its status.
   */
  static void insert(Connection c, Collection<WorkItem> items) throws SQLException {
    if (items.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rule_work (rule_id, action_index, action_name, event_host, event_id,"
                + " graph_host, event_time, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
                + " ON CONFLICT DO NOTHING")) {
      for (WorkItem w : items) {
        ps.setString(1, w.ruleId().hex());
        ps.setInt(2, w.actionIndex());
        ps.setString(3, w.actionName());
        ps.setString(4, w.eventHost());
        ps.setString(5, w.eventId());
        ps.setString(6, w.graphHost());
        ps.setTimestamp(7, Timestamp.from(w.eventTime()));
        ps.setString(8, json(w.fields()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static String json(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event fields are strings, numbers and booleans", e);
    }
  }

  static Map<String, Object> fields(String json) {
    try {
      Map<String, Object> m = JSON.readValue(json, MAP);
      // The rule language's numbers are Longs; JSON gives Integers for small ones.
      m.replaceAll((k, v) -> v instanceof Integer i ? Long.valueOf(i) : v);
      return m;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad fields in rule_work: " + e.getMessage(), e);
    }
  }

  /**
   * Claims up to {@code limit} due pending items of one action kind for {@code owner}: unclaimed
   * ones and those whose claim was not renewed within {@code lease}.
   */
  List<WorkItem> claim(String actionName, int limit, String owner, Duration lease)
      throws SQLException {
    String sql =
        "UPDATE rule_work SET claimed_by = ?, claimed_at = now() WHERE id IN ("
            + " SELECT id FROM rule_work WHERE status = 'pending' AND action_name = ?"
            + " AND not_before <= now()"
            + " AND (claimed_by IS NULL OR claimed_at < now() - ? * interval '1 millisecond')"
            + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING id, rule_id, action_index, action_name, event_host, event_id,"
            + " graph_host, event_time, fields::text, attempts";
    try (Connection c = store.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, owner);
      ps.setString(2, actionName);
      ps.setLong(3, lease.toMillis());
      ps.setInt(4, limit);
      List<WorkItem> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new WorkItem(
                  rs.getLong(1),
                  new RuleId(rs.getString(2)),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getTimestamp(8).toInstant(),
                  fields(rs.getString(9)),
                  rs.getInt(10)));
        }
      }
      out.sort(java.util.Comparator.comparingLong(WorkItem::id));
      return out;
    }
  }

  /** Keeps the claims of items still being worked on. */
  void renew(String owner, Collection<Long> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (Connection c = store.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE rule_work SET claimed_at = now() WHERE claimed_by = ? AND id = ANY(?)")) {
      Array a = c.createArrayOf("bigint", ids.toArray());
      ps.setString(1, owner);
      ps.setArray(2, a);
      ps.executeUpdate();
    }
  }

  /** Gives back unfinished claims (clean shutdown), so another consumer can start at once. */
  void release(String owner) throws SQLException {
    try (Connection c = store.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE rule_work SET claimed_by = NULL, claimed_at = NULL"
                    + " WHERE claimed_by = ? AND status = 'pending'")) {
      ps.setString(1, owner);
      ps.executeUpdate();
    }
  }

  /** Marks an item done on {@code c}, inside the caller's transaction with the item's output. */
  static void done(Connection c, long id) throws SQLException {
    finish(c, id, "done", null);
  }

  /** Marks an item done in a transaction of its own. */
  void done(long id) throws SQLException {
    try (Connection c = store.getConnection()) {
      done(c, id);
    }
  }

  /** Parks an item that can never succeed ({@code failed}) or whose rule is gone. */
  void finish(long id, String status, String reason) throws SQLException {
    try (Connection c = store.getConnection()) {
      finish(c, id, status, reason);
    }
  }

  private static void finish(Connection c, long id, String status, String reason)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE rule_work SET status = ?, finished_at = now(), claimed_by = NULL,"
                + " claimed_at = NULL, last_error = coalesce(?, last_error) WHERE id = ?")) {
      ps.setString(1, status);
      ps.setString(2, reason);
      ps.setLong(3, id);
      ps.executeUpdate();
    }
  }

  /**
   * Records a failed attempt: the item is retried after a backoff, or parked as {@code failed}
   * after {@code maxAttempts}.
   *
   * @return whether it was parked
   */
  boolean failed(WorkItem item, String reason, int maxAttempts) throws SQLException {
    int attempts = item.attempts() + 1;
    boolean park = attempts >= maxAttempts;
    try (Connection c = store.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE rule_work SET attempts = ?, last_error = ?, claimed_by = NULL,"
                    + " claimed_at = NULL, not_before = now() + ? * interval '1 millisecond',"
                    + " status = ?, finished_at = CASE WHEN ? THEN now() END WHERE id = ?")) {
      ps.setInt(1, attempts);
      ps.setString(2, reason);
      ps.setLong(3, backoff(attempts).toMillis());
      ps.setString(4, park ? "failed" : "pending");
      ps.setBoolean(5, park);
      ps.setLong(6, item.id());
      ps.executeUpdate();
    }
    return park;
  }

  /** Deletes finished items older than {@code retention}; failed ones stay for the operator. */
  int purge(Duration retention) throws SQLException {
    try (Connection c = store.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM rule_work WHERE status IN ('done', 'cancelled')"
                    + " AND finished_at < now() - ? * interval '1 millisecond'")) {
      ps.setLong(1, retention.toMillis());
      return ps.executeUpdate();
    }
  }
}
