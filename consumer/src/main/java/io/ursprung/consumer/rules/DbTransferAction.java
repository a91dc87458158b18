package io.ursprung.consumer.rules;

import io.ursprung.rules.Action;
import io.ursprung.rules.Rule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DBTRANSFER query/stateAttribute FROM source INTO target}: copies the rows of {@code
 * query}, run read-only on the aliased source database, whose {@code stateAttribute} is greater
 * than the greatest value copied before.
 *
 * <p>The query is wrapped, not edited: {@code SELECT * FROM (query) AS ursprung_source WHERE attr
 * IS NOT NULL AND attr > ? ORDER BY attr}, so it may have its own {@code WHERE}, joins and {@code
 * ORDER BY}; the state value is a parameter (PostgreSQL casts it to the attribute's type) and the
 * attribute name is validated and quoted. Record: the query's columns in its order.
 *
 * <p>State: {@code rule_state} key {@code dbtransfer#<action index>} in the target's database (the
 * store for files), holding the text of the greatest attribute value copied; it is updated in the
 * transaction that inserts the rows, and its row stays locked meanwhile, so two runs never copy the
 * same rows.
 */
final class DbTransferAction {
  private static final Logger LOG = LoggerFactory.getLogger(DbTransferAction.class);

  private final Outputs outputs;

  DbTransferAction(Outputs outputs) {
    this.outputs = outputs;
  }

  void run(Rule rule, Action.DbTransfer a, WorkItem item) throws Exception {
    Outputs.Db source = outputs.db(a.source());
    String attr;
    try {
      attr = Sql.identifier(a.stateAttribute());
    } catch (IllegalArgumentException e) {
      throw new PermanentException(e.getMessage());
    }
    String query = a.query().strip();
    while (query.endsWith(";")) {
      query = query.substring(0, query.length() - 1).strip();
    }
    String key = "dbtransfer#" + item.actionIndex();
    String ruleId = rule.id().hex();
    String base = query;
    outputs.run(
        a.target(),
        item,
        u -> {
          String state = u.state(ruleId, "DBTRANSFER", key);
          String sql =
              "SELECT * FROM ("
                  + base
                  + ") AS ursprung_source WHERE "
                  + attr
                  + " IS NOT NULL"
                  + (state == null ? "" : " AND " + attr + " > ?")
                  + " ORDER BY "
                  + attr;
          String last = null;
          long rows = 0;
          try (Connection s = source.dataSource().getConnection()) {
            s.setAutoCommit(false);
            s.setReadOnly(true);
            try (PreparedStatement ps = s.prepareStatement(sql)) {
              ps.setFetchSize(1000);
              if (state != null) {
                ps.setObject(1, state, Types.OTHER);
              }
              try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                int at;
                try {
                  at = rs.findColumn(a.stateAttribute());
                } catch (SQLException e) {
                  throw new PermanentException(
                      "the query has no column " + a.stateAttribute() + " (the state attribute)");
                }
                while (rs.next()) {
                  List<String> record = new ArrayList<>(n);
                  for (int i = 1; i <= n; i++) {
                    record.add(rs.getString(i));
                  }
                  u.emit(record);
                  last = rs.getString(at);
                  rows++;
                }
              }
            } finally {
              s.rollback(); // read-only: nothing to keep
              s.setReadOnly(false);
              s.setAutoCommit(true);
            }
          }
          if (last != null) {
            u.setState(ruleId, "DBTRANSFER", key, last);
          }
          LOG.info("DBTRANSFER from {}: {} rows, state {} -> {}", a.source(), rows, state, last);
          return null;
        });
  }
}
