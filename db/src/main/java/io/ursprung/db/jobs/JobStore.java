package io.ursprung.db.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes job records, insert-only, as {@link JobRoles#LOADER}. A record already stored (same event
 * id) is skipped, so a re-delivered batch changes nothing.
 */
public final class JobStore {
  private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

  private final DataSource dataSource;
  private final AtomicBoolean warned = new AtomicBoolean();

  public JobStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Writes the rows in one transaction.
   *
   * @return how many were new
   */
  public int write(List<JobRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    // Group by statement shape so that each table is one batched round trip.
    Map<String, List<JobRow>> byShape = new LinkedHashMap<>();
    for (JobRow r : rows) {
      byShape.computeIfAbsent(r.table() + r.columns(), k -> new java.util.ArrayList<>()).add(r);
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (!JobRoles.assume(c, JobRoles.LOADER) && warned.compareAndSet(false, true)) {
          LOG.warn(
              "cannot SET ROLE {}: job records are written with the connection's own privileges"
                  + " (see docs/jobs.md, Privileges)",
              JobRoles.LOADER);
        }
        int inserted = 0;
        for (List<JobRow> same : byShape.values()) {
          JobRow first = same.get(0);
          // Table and column names come from JobRow's constants, never from the record.
          String sql =
              "INSERT INTO "
                  + first.table()
                  + " ("
                  + String.join(", ", first.columns())
                  + ") VALUES ("
                  + "?, ".repeat(first.columns().size() - 1)
                  + "?) ON CONFLICT DO NOTHING";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (JobRow r : same) {
              for (int i = 0; i < r.values().size(); i++) {
                ps.setObject(i + 1, r.values().get(i));
              }
              ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
              inserted += Math.max(n, 0);
            }
          }
        }
        c.commit();
        return inserted;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
