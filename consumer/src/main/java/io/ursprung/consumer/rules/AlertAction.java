package io.ursprung.consumer.rules;

import io.ursprung.rules.Action;
import io.ursprung.rules.Rule;
import io.ursprung.rules.Target;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ALERT "message" [INTO target]}: a row in the store's {@code alerts} (once per rule action
 * and event) and, with a target, the alert record there too.
 *
 * <p>Record values (database columns match them by name, case and underscores ignored): {@code
 * time} (event time), {@code host}, {@code type}, {@code pid}, {@code path}, {@code message},
 * {@code rule} (rule id), {@code event_id}. Into a file: {@code time,host,type,pid,path,message}.
 */
final class AlertAction {
  static final List<String> FILE_ORDER = List.of("time", "host", "type", "pid", "path", "message");
  static final Map<String, String> ALIASES =
      Map.of(
          "ruleid", "rule",
          "eventtime", "time",
          "eventtype", "type",
          "msg", "message",
          "node", "host",
          "nodename", "host",
          "eventid", "eventid");

  private final Outputs outputs;

  AlertAction(Outputs outputs, WorkStore work) {
    this.outputs = outputs;
  }

  void run(Rule rule, Action.Alert a, WorkItem item) throws Exception {
    Target target = a.target().orElse(null);
    boolean oneTransaction = target == null || outputs.dbOf(target).store();
    if (oneTransaction) {
      outputs.run(
          target,
          item,
          u -> {
            boolean fresh = insert(u.connection(), rule, a, item);
            if (fresh && target != null) {
              u.emitNamed(values(rule, a, item), ALIASES, FILE_ORDER);
            }
            return null;
          });
      return;
    }
    // Another database: the alert row first (idempotent), then the record with a marker in that
    // database's rule_state, so neither side is written twice when the item is repeated.
    try (Connection c = outputs.store().dataSource().getConnection()) {
      insert(c, rule, a, item);
    }
    String key = "alert#" + item.actionIndex() + ":" + item.eventHost() + "/" + item.eventId();
    outputs.run(
        target,
        item,
        u -> {
          if (u.state(rule.id().hex(), "ALERT", key) == null) {
            u.emitNamed(values(rule, a, item), ALIASES, FILE_ORDER);
            u.setState(rule.id().hex(), "ALERT", key, "sent");
          }
          return null;
        });
  }

  static Map<String, String> values(Rule rule, Action.Alert a, WorkItem item) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("time", item.text("time"));
    v.put("host", item.eventHost());
    v.put("type", item.text("type"));
    v.put("pid", item.text("pid"));
    v.put("path", item.text("path"));
    v.put("message", a.message());
    v.put("rule", rule.id().hex());
    v.put("eventid", item.eventId());
    return v;
  }

  /** Inserts the alert row; false when it was there already. */
  private static boolean insert(Connection c, Rule rule, Action.Alert a, WorkItem item)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alerts (rule_id, action_index, message, host, event_id, event_type,"
                + " event_time, pid, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      ps.setString(1, rule.id().hex());
      ps.setInt(2, item.actionIndex());
      ps.setString(3, a.message());
      ps.setString(4, item.eventHost());
      ps.setString(5, item.eventId());
      ps.setString(6, item.text("type"));
      ps.setTimestamp(7, Timestamp.from(item.eventTime()));
      Object pid = item.fields().get("pid");
      if (pid instanceof Long p && p >= Integer.MIN_VALUE && p <= Integer.MAX_VALUE) {
        ps.setInt(8, (int) (long) p);
      } else {
        ps.setNull(8, Types.INTEGER);
      }
      ps.setString(9, item.text("path"));
      return ps.executeUpdate() == 1;
    }
  }
}
