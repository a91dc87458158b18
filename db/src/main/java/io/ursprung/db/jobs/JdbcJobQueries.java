package io.ursprung.db.jobs;

import io.ursprung.db.auth.Viewer;
import io.ursprung.db.query.Page;
import io.ursprung.db.query.StoreException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link JobQueries} over the {@code job_records} view, in transactions running as {@link
 * JobRoles#VIEWER}. SQL text is built only from constants of this class; request values are bind
 * parameters.
 */
public final class JdbcJobQueries implements JobQueries {

  /** The columns of a {@link JobSummary}, computed from one {@code job_records} row {@code r}. */
  private static final String SUMMARY =
      "SELECT r.job_id, r.user_name, r.resource_manager, r.local_job_id, r.queue, r.client_host,"
          + " r.client_submission_id, r.gateway_user, r.executing_host,"
          + " CASE WHEN r.final_state IS NOT NULL THEN r.final_state"
          + "  WHEN r.cancel_reason IS NOT NULL THEN 'CANCELLED'"
          + "  WHEN r.start_time IS NOT NULL THEN 'RUNNING'"
          + "  WHEN r.queued_time IS NOT NULL THEN 'QUEUED' ELSE 'INITIALIZED' END AS state,"
          + " r.exit_code, r.creation_time AS created, r.queued_time AS queued,"
          + " coalesce(r.start_time, r.accounting_start_time) AS started,"
          + " coalesce(r.lrm_finish_time, r.service_finish_time, r.accounting_finish_time,"
          + "  r.cancel_time) AS finished,"
          + " coalesce(r.elapsed_seconds, r.accounting_elapsed_seconds, extract(epoch FROM"
          + "  coalesce(r.lrm_finish_time, r.service_finish_time) - r.start_time)) AS elapsed,"
          + " r.user_cpu_seconds AS user_cpu, r.system_cpu_seconds AS system_cpu,"
          + " r.accounting_state, EXISTS (SELECT 1 FROM job_processes jp"
          + "  WHERE jp.job_id = r.job_id) AS linked, r.accounting_event_id,"
          + " coalesce(r.creation_time, r.queued_time, r.start_time) AS t"
          + " FROM job_records r";

  private static final Map<String, String> GROUP_COLUMNS =
      Map.of(
          "user", "user_name",
          "state", "state",
          "resourceManager", "resource_manager",
          "executingHost", "executing_host");

  /** Stage tables and the column that gives each record's time. */
  private static final List<String[]> STAGE_TABLES =
      List.of(
          new String[] {"initialized", "creation_time"},
          new String[] {"queued", "queued_time"},
          new String[] {"started", "start_time"},
          new String[] {"cancelled", "cancel_time"},
          new String[] {"finished", "service_finish_time"});

  /** Every column of every record of a job (and of its joined accounting record) with its URI. */
  private static final String RECORDS;

  static {
    StringBuilder b =
        new StringBuilder("SELECT x.stage, x.event_id, x.time, n.uri, x.value FROM (");
    for (String[] s : STAGE_TABLES) {
      b.append("SELECT '")
          .append(s[0])
          .append("' AS stage, t.event_id, t.")
          .append(s[1])
          .append(" AS time, e.key, e.value FROM job_")
          .append(s[0])
          .append(" t, jsonb_each_text(to_jsonb(t)) e WHERE t.job_id = ? UNION ALL ");
    }
    b.append(
        "SELECT 'accounting', t.event_id, t.queued_time, e.key, e.value FROM job_accounting t,"
            + " jsonb_each_text(to_jsonb(t)) e WHERE t.event_id = ?) x"
            + " JOIN job_attribute_names n ON n.table_name = 'job_' || x.stage"
            + " AND n.column_name = x.key WHERE x.value IS NOT NULL"
            + " ORDER BY x.stage = 'accounting', x.time, x.event_id, n.uri");
    RECORDS = b.toString();
  }

  private final DataSource dataSource;

  public JdbcJobQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs read-only as the viewer role, with times rendered in UTC. */
  private <T> T read(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        JobRoles.assume(c, JobRoles.VIEWER);
        try (PreparedStatement ps = c.prepareStatement("SET LOCAL TimeZone = 'UTC'")) {
          ps.execute();
        }
        return work.run(c);
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  /** Appends the filter's conditions on the summary columns; the user condition enforces access. */
  private static void where(Viewer viewer, JobFilter f, StringBuilder sql, List<Object> binds) {
    String user = f.user();
    if (!viewer.seesAll()) {
      if (user != null && !user.equals(viewer.name())) {
        throw new JobAccessDeniedException("jobs of " + user + " are visible to them and admins");
      }
      user = viewer.name();
    }
    sql.append(" WHERE true");
    condition(sql, binds, " AND j.user_name = ?", user);
    condition(sql, binds, " AND j.t >= ?", f.from() == null ? null : utc(f.from()));
    condition(sql, binds, " AND j.t < ?", f.to() == null ? null : utc(f.to()));
    condition(sql, binds, " AND j.state = ?", f.state());
    condition(sql, binds, " AND j.resource_manager = ?", f.resourceManager());
    condition(sql, binds, " AND j.executing_host = ?", f.executingHost());
    condition(sql, binds, " AND j.client_submission_id = ?", f.clientSubmissionId());
    condition(sql, binds, " AND j.gateway_user = ?", f.gatewayUser());
  }

  private static void condition(StringBuilder sql, List<Object> binds, String text, Object value) {
    if (value != null) {
      sql.append(text);
      binds.add(value);
    }
  }

  @Override
  public Page<JobSummary> jobs(Viewer viewer, JobFilter filter, int offset, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM (" + SUMMARY + ") j");
    List<Object> binds = new ArrayList<>();
    where(viewer, filter, sql, binds);
    sql.append(" ORDER BY j.t DESC NULLS LAST, j.job_id LIMIT ? OFFSET ?");
    binds.add(limit + 1);
    binds.add(offset);
    return read(
        "job list",
        c -> {
          List<JobSummary> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, binds);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(summary(rs));
              }
            }
          }
          boolean more = out.size() > limit;
          return new Page<>(more ? out.subList(0, limit) : out, offset, limit, more);
        });
  }

  @Override
  public Optional<JobDetail> job(Viewer viewer, String jobId) {
    return read(
        "job query",
        c -> {
          Optional<Object[]> found = find(c, viewer, jobId);
          if (found.isEmpty()) {
            return Optional.empty();
          }
          JobSummary s = (JobSummary) found.get()[0];
          Map<String, JobStageRecord> records = new LinkedHashMap<>();
          Map<String, Map<String, String>> values = new LinkedHashMap<>();
          for (String[] row : records(c, jobId, (String) found.get()[1])) {
            String key = row[0] + "\u0000" + row[1];
            if (!records.containsKey(key)) {
              Map<String, String> attrs = new LinkedHashMap<>();
              values.put(key, attrs);
              records.put(key, new JobStageRecord(row[0], row[1], row[2], Map.of()));
            }
            values.get(key).put(row[3].substring(row[3].indexOf('#') + 1), row[4]);
          }
          List<JobStageRecord> list = new ArrayList<>();
          for (Map.Entry<String, JobStageRecord> e : records.entrySet()) {
            JobStageRecord r = e.getValue();
            list.add(new JobStageRecord(r.stage(), r.eventId(), r.time(), values.get(e.getKey())));
          }
          return Optional.of(new JobDetail(s, list));
        });
  }

  @Override
  public Optional<List<JobAttribute>> attributes(Viewer viewer, String jobId) {
    return read(
        "job attribute query",
        c -> {
          Optional<Object[]> found = find(c, viewer, jobId);
          if (found.isEmpty()) {
            return Optional.empty();
          }
          List<JobAttribute> out = new ArrayList<>();
          for (String[] row : records(c, jobId, (String) found.get()[1])) {
            out.add(new JobAttribute(row[3], row[4], row[1]));
          }
          return Optional.of(out);
        });
  }

  @Override
  public List<JobUsage> usage(Viewer viewer, JobFilter filter, String groupBy) {
    String column = GROUP_COLUMNS.get(groupBy);
    if (column == null) {
      throw new IllegalArgumentException("groupBy must be one of " + GROUPS);
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT j."
                + column
                + ", count(*), coalesce(sum(j.elapsed), 0), coalesce(sum(j.user_cpu), 0),"
                + " coalesce(sum(j.system_cpu), 0) FROM ("
                + SUMMARY
                + ") j");
    List<Object> binds = new ArrayList<>();
    where(viewer, filter, sql, binds);
    sql.append(" GROUP BY 1 ORDER BY 2 DESC, 1");
    return read(
        "job usage query",
        c -> {
          List<JobUsage> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, binds);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new JobUsage(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getDouble(3),
                        rs.getDouble(4),
                        rs.getDouble(5)));
              }
            }
          }
          return out;
        });
  }

  /** The summary and accounting event id of a job the viewer may see; denied for others' jobs. */
  private Optional<Object[]> find(Connection c, Viewer viewer, String jobId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT * FROM (" + SUMMARY + ") j WHERE j.job_id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        JobSummary s = summary(rs);
        if (!viewer.seesAll() && !s.user().equals(viewer.name())) {
          throw new JobAccessDeniedException(
              "job " + jobId + " is visible to its owner and admins");
        }
        return Optional.of(new Object[] {s, rs.getString("accounting_event_id")});
      }
    }
  }

  /** Rows of stage, event id, time, URI, value. */
  private static List<String[]> records(Connection c, String jobId, String accountingEventId)
      throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(RECORDS)) {
      int i = 1;
      for (int k = 0; k < STAGE_TABLES.size(); k++) {
        ps.setString(i++, jobId);
      }
      ps.setString(i, accountingEventId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime t = rs.getObject(3, OffsetDateTime.class);
          out.add(
              new String[] {
                rs.getString(1),
                rs.getString(2),
                t == null ? null : t.toInstant().toString(),
                rs.getString(4),
                rs.getString(5)
              });
        }
      }
    }
    return out;
  }

  private static JobSummary summary(ResultSet rs) throws SQLException {
    String jobId = rs.getString("job_id");
    return new JobSummary(
        jobId,
        rs.getString("user_name"),
        rs.getString("resource_manager"),
        rs.getString("local_job_id"),
        rs.getString("queue"),
        rs.getString("client_host"),
        rs.getString("client_submission_id"),
        rs.getString("gateway_user"),
        rs.getString("executing_host"),
        rs.getString("state"),
        (Integer) rs.getObject("exit_code"),
        instant(rs, "created"),
        instant(rs, "queued"),
        instant(rs, "started"),
        instant(rs, "finished"),
        number(rs, "elapsed"),
        number(rs, "user_cpu"),
        number(rs, "system_cpu"),
        rs.getString("accounting_state"),
        rs.getBoolean("linked") ? "job:" + jobId : null);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Double number(ResultSet rs, String column) throws SQLException {
    BigDecimal d = rs.getBigDecimal(column);
    return d == null ? null : d.doubleValue();
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static void bind(PreparedStatement ps, List<Object> binds) throws SQLException {
    for (int i = 0; i < binds.size(); i++) {
      ps.setObject(i + 1, binds.get(i));
    }
  }
}
