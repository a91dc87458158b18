package io.ursprung.db.query;

import io.ursprung.db.PathKey;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.Edge;
import io.ursprung.db.lineage.FileNode;
import io.ursprung.db.lineage.FileRef;
import io.ursprung.db.lineage.Files;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.LineageService;
import io.ursprung.db.lineage.Node;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.db.lineage.ProcessNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link ProvenanceQueries} over the graph tables. SQL text is built only from constants of this
 * class; every value from a request is a bind parameter.
 */
public final class JdbcProvenanceQueries implements ProvenanceQueries {

  /** Columns of {@link #process(ResultSet, int)}, for a processes row aliased {@code p}. */
  static final String PROC =
      " p.host, p.pid, p.start_time, array_to_string(p.argv, ' '), p.cwd,"
          + " coalesce(p.user_name, p.uid::text), p.uid, p.end_time, p.exit_code, p.exe ";

  /** The visibility filter on a processes row aliased {@code p}; binds see-all, uids, gids. */
  static final String SCOPE = " (? OR p.uid = ANY (?) OR p.gid = ANY (?)) ";

  /** Longest reproduce walk. */
  static final int REPRODUCE_DEPTH = 64;

  /** Most nodes of a reproduce walk. */
  static final int REPRODUCE_LIMIT = 5_000;

  /** Most processes of one run that are compared. */
  static final int RUN_CAP = 20_000;

  private final DataSource dataSource;
  private final LineageService lineage;

  public JdbcProvenanceQueries(DataSource dataSource, LineageService lineage) {
    this.dataSource = dataSource;
    this.lineage = lineage;
  }

  @Override
  public io.ursprung.db.jobs.JobQueries jobs() {
    return new io.ursprung.db.jobs.JdbcJobQueries(dataSource);
  }

  // ---------------------------------------------------------------- search

  @Override
  public Page<FileSummary> searchFiles(
      Viewer viewer, String pattern, boolean glob, String host, int offset, int limit) {
    String like = glob ? globToLike(pattern) : escapeLike(pattern) + "%";
    String keyPrefix = keyPrefix(pattern, glob);
    StringBuilder sql =
        new StringBuilder(
            "SELECT fn.host, fn.path, fn.fs, fn.inode, max(fn.time),"
                + " (SELECT count(DISTINCT v.version_time) FROM file_versions v"
                + "   WHERE v.host = fn.host AND v.fs = fn.fs AND v.inode = fn.inode),"
                + " (SELECT max(v.version_time) FROM file_versions v"
                + "   WHERE v.host = fn.host AND v.fs = fn.fs AND v.inode = fn.inode)"
                + " FROM file_names fn WHERE fn.path LIKE ? ESCAPE '\\'");
    if (keyPrefix != null) {
      // Implied by the LIKE on the path; stated on the key so that file_names_path (V86, on
      // path_key(path)) can serve a prefix search where the collation allows (C).
      sql.append(" AND path_key(fn.path) LIKE ? ESCAPE '\\'");
    }
    if (host != null) {
      sql.append(" AND fn.host = ?");
    }
    if (!viewer.seesAll()) {
      sql.append(
          " AND EXISTS (SELECT 1 FROM processes p WHERE p.host = fn.proc_host"
              + " AND p.pid = fn.pid AND p.start_time = fn.start_time"
              + " AND (p.uid = ANY (?) OR p.gid = ANY (?)))");
    }
    sql.append(
        " GROUP BY fn.host, fn.path, fn.fs, fn.inode ORDER BY fn.path, fn.host, fn.inode"
            + " LIMIT ? OFFSET ?");
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, like);
      if (keyPrefix != null) {
        ps.setString(i++, keyPrefix);
      }
      if (host != null) {
        ps.setString(i++, host);
      }
      if (!viewer.seesAll()) {
        ps.setArray(i++, c.createArrayOf("integer", viewer.uidArray()));
        ps.setArray(i++, c.createArrayOf("integer", viewer.gidArray()));
      }
      ps.setInt(i++, limit + 1);
      ps.setInt(i, offset);
      List<FileSummary> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant latest = instant(rs, 7);
          String id =
              new NodeId.FileVersion(rs.getString(1), rs.getString(3), rs.getLong(4), latest)
                  .text();
          out.add(
              new FileSummary(
                  id,
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  instant(rs, 5),
                  rs.getInt(6)));
        }
      }
      return page(out, offset, limit);
    } catch (SQLException e) {
      throw new StoreException("file search failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Page<ProcessSummary> searchProcesses(
      Viewer viewer, ProcessSearch s, int offset, int limit) {
    StringBuilder sql = new StringBuilder("SELECT" + PROC + "FROM processes p WHERE" + SCOPE);
    List<Object> binds = new ArrayList<>();
    if (s.text() != null) {
      sql.append(" AND array_to_string(p.argv, ' ') ILIKE ? ESCAPE '\\'");
      binds.add("%" + escapeLike(s.text()) + "%");
    }
    if (s.user() != null) {
      sql.append(" AND (p.user_name = ? OR p.uid::text = ?)");
      binds.add(s.user());
      binds.add(s.user());
    }
    if (s.host() != null) {
      sql.append(" AND p.host = ?");
      binds.add(s.host());
    }
    if (s.from() != null) {
      sql.append(" AND p.start_time >= ?");
      binds.add(ts(s.from()));
    }
    if (s.to() != null) {
      sql.append(" AND p.start_time < ?");
      binds.add(ts(s.to()));
    }
    sql.append(" ORDER BY p.start_time DESC, p.host, p.pid LIMIT ? OFFSET ?");
    binds.add(limit + 1);
    binds.add(offset);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = bindScope(ps, 1, c, viewer);
      for (Object b : binds) {
        ps.setObject(i++, b);
      }
      List<ProcessSummary> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(process(rs, 1));
        }
      }
      return page(out, offset, limit);
    } catch (SQLException e) {
      throw new StoreException("process search failed: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- details

  @Override
  public Optional<ProcessDetails> process(Viewer viewer, NodeId.Process id) {
    try (Connection c = dataSource.getConnection()) {
      ProcessSummary self;
      List<String> argv;
      Integer gid;
      String jobId;
      Integer parentPid;
      Instant parentStart;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT"
                  + PROC
                  + ", p.argv, p.gid, p.job_id, p.parent_pid, p.parent_start"
                  + " FROM processes p WHERE p.host = ? AND p.pid = ? AND p.start_time = ? AND"
                  + SCOPE)) {
        bindProcess(ps, 1, id);
        bindScope(ps, 4, c, viewer);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          self = process(rs, 1);
          argv = strings(rs.getArray(11));
          gid = (Integer) rs.getObject(12);
          jobId = rs.getString(13);
          parentPid = (Integer) rs.getObject(14);
          parentStart = instant(rs, 15);
        }
      }
      ProcessSummary parent = null;
      if (parentPid != null && parentStart != null) {
        List<ProcessSummary> ps =
            processes(
                c,
                viewer,
                " p.host = ? AND p.pid = ? AND p.start_time = ?",
                id.host(),
                parentPid,
                ts(parentStart));
        parent = ps.isEmpty() ? null : ps.get(0);
      }
      List<ProcessSummary> children =
          processes(
              c,
              viewer,
              " p.host = ? AND p.parent_pid = ? AND p.parent_start = ?"
                  + " ORDER BY p.start_time LIMIT 1000",
              id.host(),
              id.pid(),
              ts(id.start()));
      return Optional.of(
          new ProcessDetails(
              self,
              argv,
              gid,
              jobId,
              parent,
              children,
              execs(c, id),
              reads(c, id),
              writes(c, id),
              informed(c, viewer, id, true),
              informed(c, viewer, id, false),
              connections(c, id)));
    } catch (SQLException e) {
      throw new StoreException("process query failed: " + e.getMessage(), e);
    }
  }

  private List<ProcessDetails.Exec> execs(Connection c, NodeId.Process id) throws SQLException {
    List<ProcessDetails.Exec> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT exec_time, exe, argv, cwd FROM process_execs"
                + " WHERE host = ? AND pid = ? AND start_time = ? ORDER BY exec_time LIMIT 1000")) {
      bindProcess(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ProcessDetails.Exec(
                  instant(rs, 1), rs.getString(2), strings(rs.getArray(3)), rs.getString(4)));
        }
      }
    }
    return out;
  }

  private List<ProcessDetails.FileAccess> reads(Connection c, NodeId.Process id)
      throws SQLException {
    List<ProcessDetails.FileAccess> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT u.file_host, u.fs, u.inode, lv.t, u.path, u.time, u.kind FROM used u"
                + " CROSS JOIN LATERAL (SELECT max(w.version_time) AS t FROM file_versions w"
                + "  WHERE w.host = u.file_host AND w.fs = u.fs AND w.inode = u.inode"
                + "  AND w.version_time <= u.time) lv"
                + " WHERE u.host = ? AND u.pid = ? AND u.start_time = ?"
                + " ORDER BY u.time LIMIT 5000")) {
      bindProcess(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String fileId =
              new NodeId.FileVersion(
                      rs.getString(1), rs.getString(2), rs.getLong(3), instant(rs, 4))
                  .text();
          out.add(
              new ProcessDetails.FileAccess(
                  fileId, rs.getString(1), rs.getString(5), instant(rs, 6), rs.getString(7), null));
        }
      }
    }
    return out;
  }

  private List<ProcessDetails.FileAccess> writes(Connection c, NodeId.Process id)
      throws SQLException {
    List<ProcessDetails.FileAccess> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT v.host, v.fs, v.inode, v.version_time, v.path, v.cause, v.size"
                + " FROM file_versions v WHERE v.proc_host = ? AND v.pid = ? AND v.start_time = ?"
                + " ORDER BY v.version_time LIMIT 5000")) {
      bindProcess(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String fileId =
              new NodeId.FileVersion(
                      rs.getString(1), rs.getString(2), rs.getLong(3), instant(rs, 4))
                  .text();
          out.add(
              new ProcessDetails.FileAccess(
                  fileId,
                  rs.getString(1),
                  rs.getString(5),
                  instant(rs, 4),
                  rs.getString(6),
                  (Long) rs.getObject(7)));
        }
      }
    }
    return out;
  }

  private List<ProcessDetails.Informed> informed(
      Connection c, Viewer viewer, NodeId.Process id, boolean informants) throws SQLException {
    String sql =
        informants
            ? "SELECT p.host, p.pid, p.start_time, array_to_string(p.argv, ' '), w.kind, w.time"
                + " FROM was_informed_by w JOIN processes p ON p.host = w.host"
                + " AND p.pid = w.informant_pid AND p.start_time = w.informant_start"
                + " WHERE w.host = ? AND w.pid = ? AND w.start_time = ? AND"
            : "SELECT p.host, p.pid, p.start_time, array_to_string(p.argv, ' '), w.kind, w.time"
                + " FROM was_informed_by w JOIN processes p ON p.host = w.host"
                + " AND p.pid = w.pid AND p.start_time = w.start_time"
                + " WHERE w.host = ? AND w.informant_pid = ? AND w.informant_start = ? AND";
    List<ProcessDetails.Informed> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql + SCOPE + " ORDER BY w.time LIMIT 1000")) {
      bindProcess(ps, 1, id);
      bindScope(ps, 4, c, viewer);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ProcessDetails.Informed(
                  new NodeId.Process(rs.getString(1), rs.getInt(2), instant(rs, 3)).text(),
                  rs.getString(4),
                  rs.getString(5),
                  instant(rs, 6)));
        }
      }
    }
    return out;
  }

  private List<ProcessDetails.Connection> connections(Connection c, NodeId.Process id)
      throws SQLException {
    List<ProcessDetails.Connection> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT time, op, family, address, port, path, result FROM sockets"
                + " WHERE host = ? AND pid = ? AND start_time = ? ORDER BY time LIMIT 1000")) {
      bindProcess(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ProcessDetails.Connection(
                  instant(rs, 1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  (Integer) rs.getObject(5),
                  rs.getString(6),
                  (Long) rs.getObject(7)));
        }
      }
    }
    return out;
  }

  @Override
  public Optional<FileDetails> file(Viewer viewer, NodeId.FileVersion id) {
    FileRef ref = new FileRef(id.host(), id.fs(), id.inode());
    try (Connection c = dataSource.getConnection()) {
      if (!Files.exists(c, ref) || !Files.visible(c, viewer, ref)) {
        return Optional.empty();
      }
      String objectType = null;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT object_type FROM files WHERE host = ? AND fs = ? AND inode = ?")) {
        bindFile(ps, 1, ref);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            objectType = rs.getString(1);
          }
        }
      }
      List<FileDetails.Name> names = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT n.path, n.op, n.time, p.host, p.pid, p.start_time,"
                  + SCOPE
                  + " FROM file_names n LEFT JOIN processes p ON p.host = n.proc_host"
                  + " AND p.pid = n.pid AND p.start_time = n.start_time"
                  + " WHERE n.host = ? AND n.fs = ? AND n.inode = ? ORDER BY n.time LIMIT 5000")) {
        int i = bindScope(ps, 1, c, viewer);
        bindFile(ps, i, ref);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String pid =
                rs.getString(4) != null && rs.getBoolean(7)
                    ? new NodeId.Process(rs.getString(4), rs.getInt(5), instant(rs, 6)).text()
                    : null;
            names.add(new FileDetails.Name(rs.getString(1), rs.getString(2), instant(rs, 3), pid));
          }
        }
      }
      List<FileDetails.Version> versions = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT v.version_time, v.cause, v.path, v.size, "
                  + PROC
                  + ", p.pid IS NOT NULL AND"
                  + SCOPE
                  + " FROM file_versions v LEFT JOIN processes p ON p.host = v.proc_host"
                  + " AND p.pid = v.pid AND p.start_time = v.start_time"
                  + " WHERE v.host = ? AND v.fs = ? AND v.inode = ?"
                  + " ORDER BY v.version_time, v.event_id LIMIT 5000")) {
        int i = bindScope(ps, 1, c, viewer);
        bindFile(ps, i, ref);
        try (ResultSet rs = ps.executeQuery()) {
          Instant last = null;
          int n = 0;
          while (rs.next()) {
            Instant t = instant(rs, 1);
            if (t.equals(last)) {
              // Several events at one instant make one version.
              continue;
            }
            last = t;
            n++;
            ProcessSummary writer = rs.getBoolean(15) ? process(rs, 5) : null;
            versions.add(
                new FileDetails.Version(
                    new NodeId.FileVersion(ref.host(), ref.fs(), ref.inode(), t).text(),
                    n,
                    t,
                    rs.getString(2),
                    rs.getString(3),
                    (Long) rs.getObject(4),
                    null,
                    writer));
          }
        }
      }
      return Optional.of(
          new FileDetails(ref.host(), ref.fs(), ref.inode(), objectType, names, versions));
    } catch (SQLException e) {
      throw new StoreException("file query failed: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- runs

  /**
   * A run root: a process that exec'd a program and whose parent is unknown or ran as another user
   * (su, sudo, sshd, a scheduler), so it is where a user's command begins. Processes of a batch job
   * are grouped by job instead.
   */
  private static final String ROOTS =
      " p.job_id IS NULL AND p.argv IS NOT NULL"
          + " AND NOT EXISTS (SELECT 1 FROM job_processes jp WHERE jp.host = p.host"
          + "  AND jp.pid = p.pid AND jp.start_time = p.start_time)"
          + " AND NOT EXISTS (SELECT 1 FROM processes q WHERE q.host = p.host"
          + "  AND q.pid = p.parent_pid AND q.start_time = p.parent_start"
          + "  AND q.uid IS NOT DISTINCT FROM p.uid) AND";

  private static final String TREE_SIZE =
      "(WITH RECURSIVE tree(host, pid, start_time) AS ("
          + " SELECT ?::text, ?::integer, ?::timestamptz"
          + " UNION SELECT c.host, c.pid, c.start_time FROM processes c JOIN tree t"
          + "  ON c.host = t.host AND c.parent_pid = t.pid AND c.parent_start = t.start_time)"
          + " SELECT count(*) FROM (SELECT 1 FROM tree LIMIT "
          + RUN_CAP
          + ") x)";

  @Override
  public Page<RunSummary> runs(
      Viewer viewer, String user, String host, Instant from, Instant to, int offset, int limit) {
    StringBuilder filter = new StringBuilder(SCOPE);
    List<Object> binds = new ArrayList<>();
    if (user != null) {
      filter.append(" AND (p.user_name = ? OR p.uid::text = ?)");
      binds.add(user);
      binds.add(user);
    }
    if (host != null) {
      filter.append(" AND p.host = ?");
      binds.add(host);
    }
    if (from != null) {
      filter.append(" AND p.start_time >= ?");
      binds.add(ts(from));
    }
    if (to != null) {
      filter.append(" AND p.start_time < ?");
      binds.add(ts(to));
    }
    String sql =
        "SELECT * FROM ("
            + " SELECT 'process-tree' AS kind, NULL::text AS job_id, p.host, p.pid, p.start_time,"
            + "  array_to_string(p.argv, ' '), p.cwd, coalesce(p.user_name, p.uid::text), p.uid,"
            + "  p.end_time, p.exit_code, p.exe, 0 AS n"
            + " FROM processes p WHERE"
            + ROOTS
            + filter
            + " UNION ALL"
            + " SELECT 'job', jp.job_id, min(p.host), NULL::integer, min(p.start_time),"
            + "  min(array_to_string(p.argv, ' ')), min(p.cwd), min(coalesce(p.user_name,"
            + "  p.uid::text)), min(p.uid), max(p.end_time), NULL::integer, NULL::text,"
            + "  count(*)::integer"
            + " FROM job_processes jp JOIN processes p ON p.host = jp.host AND p.pid = jp.pid"
            + "  AND p.start_time = jp.start_time WHERE"
            + filter
            + " GROUP BY jp.job_id) runs ORDER BY 5 DESC, 3, 4 LIMIT ? OFFSET ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = bindScope(ps, 1, c, viewer);
      for (Object b : binds) {
        ps.setObject(i++, b);
      }
      i = bindScope(ps, i, c, viewer);
      for (Object b : binds) {
        ps.setObject(i++, b);
      }
      ps.setInt(i++, limit + 1);
      ps.setInt(i, offset);
      List<RunSummary> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(run(c, rs));
        }
      }
      return page(out, offset, limit);
    } catch (SQLException e) {
      throw new StoreException("run query failed: " + e.getMessage(), e);
    }
  }

  private RunSummary run(Connection c, ResultSet rs) throws SQLException {
    String kind = rs.getString(1);
    Instant start = instant(rs, 5);
    Instant end = instant(rs, 10);
    Long duration = start != null && end != null ? Duration.between(start, end).toMillis() : null;
    if (kind.equals("job")) {
      return new RunSummary(
          "job:" + rs.getString(2),
          "job",
          rs.getString(3),
          rs.getString(8),
          rs.getString(6),
          start,
          end,
          duration,
          null,
          rs.getInt(13));
    }
    NodeId.Process root = new NodeId.Process(rs.getString(3), rs.getInt(4), start);
    int size;
    try (PreparedStatement ps = c.prepareStatement("SELECT " + TREE_SIZE)) {
      bindProcess(ps, 1, root);
      try (ResultSet t = ps.executeQuery()) {
        t.next();
        size = t.getInt(1);
      }
    }
    return new RunSummary(
        root.text(),
        "process-tree",
        root.host(),
        rs.getString(8),
        rs.getString(6),
        start,
        end,
        duration,
        (Integer) rs.getObject(11),
        size);
  }

  /** A process of a run with what comparison needs. */
  private record RunProcess(
      String id,
      String host,
      int pid,
      Instant start,
      Instant end,
      Integer exitCode,
      String exe,
      List<String> argv,
      String cwd,
      String user) {}

  @Override
  public Optional<RunComparison> compareRuns(Viewer viewer, List<String> runIds) {
    try (Connection c = dataSource.getConnection()) {
      List<RunSummary> summaries = new ArrayList<>();
      List<List<RunProcess>> trees = new ArrayList<>();
      for (String runId : runIds) {
        List<RunProcess> tree = runProcesses(c, viewer, runId);
        if (tree.isEmpty()) {
          return Optional.empty();
        }
        trees.add(tree);
        summaries.add(summarise(runId, tree));
      }
      List<Map<String, RunComparison.FileValue>> inputs = new ArrayList<>();
      List<Map<String, RunComparison.FileValue>> outputs = new ArrayList<>();
      for (List<RunProcess> tree : trees) {
        String base = tree.get(0).cwd();
        Map<String, RunComparison.FileValue> in = new LinkedHashMap<>();
        Map<String, RunComparison.FileValue> out = new LinkedHashMap<>();
        runFiles(c, tree, base, in, out);
        inputs.add(in);
        outputs.add(out);
      }
      return Optional.of(new RunComparison(summaries, rows(inputs), rows(outputs), steps(trees)));
    } catch (SQLException e) {
      throw new StoreException("run comparison failed: " + e.getMessage(), e);
    }
  }

  private List<RunProcess> runProcesses(Connection c, Viewer viewer, String runId)
      throws SQLException {
    String sql;
    List<Object> binds = new ArrayList<>();
    if (runId.startsWith("job:")) {
      sql =
          "SELECT p.host, p.pid, p.start_time, p.end_time, p.exit_code, p.exe, p.argv, p.cwd,"
              + " coalesce(p.user_name, p.uid::text) FROM job_processes jp JOIN processes p ON p.host = jp.host AND p.pid = jp.pid"
              + "  AND p.start_time = jp.start_time WHERE jp.job_id = ? AND"
              + SCOPE
              + " ORDER BY p.start_time, p.host, p.pid LIMIT "
              + RUN_CAP;
      binds.add(runId.substring(4));
    } else {
      NodeId.Process root;
      try {
        NodeId id = NodeId.parse(runId);
        if (!(id instanceof NodeId.Process p)) {
          return List.of();
        }
        root = p;
      } catch (IllegalArgumentException e) {
        return List.of();
      }
      sql =
          "WITH RECURSIVE tree(host, pid, start_time) AS ("
              + " SELECT ?::text, ?::integer, ?::timestamptz"
              + " UNION SELECT c.host, c.pid, c.start_time FROM processes c JOIN tree t"
              + "  ON c.host = t.host AND c.parent_pid = t.pid AND c.parent_start = t.start_time)"
              + " SELECT p.host, p.pid, p.start_time, p.end_time, p.exit_code, p.exe, p.argv,"
              + " p.cwd, coalesce(p.user_name, p.uid::text) FROM (SELECT * FROM tree LIMIT "
              + RUN_CAP
              + ") t JOIN processes p ON p.host = t.host AND p.pid = t.pid"
              + " AND p.start_time = t.start_time WHERE"
              + SCOPE
              + " ORDER BY (p.pid = ? AND p.start_time = ?) DESC, p.start_time, p.pid";
      binds.add(root.host());
      binds.add(root.pid());
      binds.add(ts(root.start()));
    }
    List<RunProcess> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (runId.startsWith("job:")) {
        ps.setObject(i++, binds.get(0));
        bindScope(ps, i, c, viewer);
      } else {
        for (Object b : binds) {
          ps.setObject(i++, b);
        }
        i = bindScope(ps, i, c, viewer);
        ps.setObject(i++, binds.get(1));
        ps.setObject(i, binds.get(2));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant start = instant(rs, 3);
          out.add(
              new RunProcess(
                  new NodeId.Process(rs.getString(1), rs.getInt(2), start).text(),
                  rs.getString(1),
                  rs.getInt(2),
                  start,
                  instant(rs, 4),
                  (Integer) rs.getObject(5),
                  rs.getString(6),
                  strings(rs.getArray(7)),
                  rs.getString(8),
                  rs.getString(9)));
        }
      }
    }
    if (!runId.startsWith("job:") && !out.isEmpty() && !out.get(0).id().equals(runId)) {
      // The root itself is invisible: the run is not the viewer's.
      return List.of();
    }
    return out;
  }

  private static RunSummary summarise(String runId, List<RunProcess> tree) {
    RunProcess root = tree.get(0);
    Instant start = tree.stream().map(RunProcess::start).min(Comparator.naturalOrder()).get();
    Instant end =
        tree.stream()
            .map(RunProcess::end)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    return new RunSummary(
        runId,
        runId.startsWith("job:") ? "job" : "process-tree",
        root.host(),
        root.user(),
        String.join(" ", root.argv()),
        start,
        end,
        end == null ? null : Duration.between(start, end).toMillis(),
        runId.startsWith("job:") ? null : root.exitCode(),
        tree.size());
  }

  /** Inputs (read from outside the run) and outputs (last version per path) of one run. */
  private void runFiles(
      Connection c,
      List<RunProcess> tree,
      String base,
      Map<String, RunComparison.FileValue> in,
      Map<String, RunComparison.FileValue> out)
      throws SQLException {
    String[] hosts = tree.stream().map(RunProcess::host).toArray(String[]::new);
    Integer[] pids = tree.stream().map(RunProcess::pid).toArray(Integer[]::new);
    String[] starts = tree.stream().map(p -> p.start().toString()).toArray(String[]::new);
    String members =
        "SELECT * FROM unnest(?::text[], ?::integer[], ?::timestamptz[]) AS m(host, pid, st)";
    String written =
        "SELECT v.host, v.fs, v.inode, v.version_time, v.path, v.size FROM file_versions v"
            + " JOIN ("
            + members
            + ") m ON v.proc_host = m.host AND v.pid = m.pid AND v.start_time = m.st";
    Set<String> writtenInodes = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(written + " ORDER BY v.version_time")) {
      bindMembers(ps, 1, c, hosts, pids, starts);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          writtenInodes.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getLong(3));
          String path = ShellScript.relative(rs.getString(5), base);
          if (path != null) {
            out.put(
                path,
                fileValue(
                    c,
                    rs.getString(1),
                    rs.getString(2),
                    rs.getLong(3),
                    instant(rs, 4),
                    (Long) rs.getObject(6)));
          }
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT u.file_host, u.fs, u.inode, min(u.path), min(lv.t) FROM used u JOIN ("
                + members
                + ") m ON u.host = m.host AND u.pid = m.pid AND u.start_time = m.st"
                + " CROSS JOIN LATERAL (SELECT max(w.version_time) AS t FROM file_versions w"
                + "  WHERE w.host = u.file_host AND w.fs = u.fs AND w.inode = u.inode"
                + "  AND w.version_time <= u.time) lv"
                + " WHERE u.kind = 'read' GROUP BY u.file_host, u.fs, u.inode ORDER BY 4")) {
      bindMembers(ps, 1, c, hosts, pids, starts);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getLong(3);
          String path = ShellScript.relative(rs.getString(4), base);
          if (writtenInodes.contains(key) || path == null) {
            continue;
          }
          in.put(
              path,
              fileValue(c, rs.getString(1), rs.getString(2), rs.getLong(3), instant(rs, 5), null));
        }
      }
    }
  }

  private static RunComparison.FileValue fileValue(
      Connection c, String host, String fs, long inode, Instant t, Long size) throws SQLException {
    int version = 0;
    if (t != null) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(DISTINCT version_time) FROM file_versions"
                  + " WHERE host = ? AND fs = ? AND inode = ? AND version_time <= ?")) {
        ps.setString(1, host);
        ps.setString(2, fs);
        ps.setLong(3, inode);
        ps.setObject(4, ts(t));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          version = rs.getInt(1);
        }
      }
    }
    return new RunComparison.FileValue(
        new NodeId.FileVersion(host, fs, inode, t).text(), version, t, size, null);
  }

  private static void bindMembers(
      PreparedStatement ps, int i, Connection c, String[] hosts, Integer[] pids, String[] starts)
      throws SQLException {
    ps.setArray(i, c.createArrayOf("text", hosts));
    ps.setArray(i + 1, c.createArrayOf("integer", pids));
    ps.setArray(i + 2, c.createArrayOf("text", starts));
  }

  private static List<RunComparison.FileRow> rows(
      List<Map<String, RunComparison.FileValue>> perRun) {
    Set<String> paths = new java.util.TreeSet<>();
    perRun.forEach(m -> paths.addAll(m.keySet()));
    List<RunComparison.FileRow> out = new ArrayList<>();
    for (String path : paths) {
      List<RunComparison.FileValue> values = new ArrayList<>();
      for (Map<String, RunComparison.FileValue> m : perRun) {
        values.add(m.get(path));
      }
      out.add(new RunComparison.FileRow(path, sameFiles(values), values));
    }
    return out;
  }

  /**
   * Same when every run has the file and, lacking content hashes, the very same version (same inode
   * and version time) or equal sizes of versions made in each run.
   */
  private static boolean sameFiles(List<RunComparison.FileValue> values) {
    RunComparison.FileValue first = values.get(0);
    for (RunComparison.FileValue v : values) {
      if (v == null || first == null) {
        return false;
      }
      boolean sameVersion = v.id().equals(first.id());
      boolean sameHash = v.contentHash() != null && v.contentHash().equals(first.contentHash());
      if (!sameVersion && !sameHash) {
        return false;
      }
    }
    return true;
  }

  private static List<RunComparison.StepRow> steps(List<List<RunProcess>> trees) {
    List<Map<String, RunProcess>> perRun = new ArrayList<>();
    Map<String, int[]> order = new LinkedHashMap<>();
    for (List<RunProcess> tree : trees) {
      Map<String, RunProcess> steps = new LinkedHashMap<>();
      Map<String, Integer> seen = new HashMap<>();
      List<RunProcess> sorted = new ArrayList<>(tree);
      sorted.sort(Comparator.comparing(RunProcess::start).thenComparing(RunProcess::pid));
      for (RunProcess p : sorted) {
        if (p.argv().isEmpty()) {
          continue;
        }
        String program = ShellScript.program(p.exe(), p.argv());
        int n = seen.merge(program, 1, Integer::sum);
        String key = program + "#" + n;
        steps.put(key, p);
        order.putIfAbsent(key, new int[] {order.size()});
      }
      perRun.add(steps);
    }
    List<RunComparison.StepRow> out = new ArrayList<>();
    for (String key : order.keySet()) {
      List<RunComparison.StepValue> values = new ArrayList<>();
      boolean same = true;
      List<String> firstArgv = null;
      for (Map<String, RunProcess> steps : perRun) {
        RunProcess p = steps.get(key);
        if (p == null) {
          values.add(null);
          same = false;
          continue;
        }
        if (firstArgv == null) {
          firstArgv = p.argv();
        } else if (!firstArgv.equals(p.argv())) {
          same = false;
        }
        Long d = p.end() == null ? null : Duration.between(p.start(), p.end()).toMillis();
        values.add(new RunComparison.StepValue(p.id(), p.argv(), d, p.exitCode()));
      }
      int hash = key.lastIndexOf('#');
      out.add(
          new RunComparison.StepRow(
              key.substring(0, hash), Integer.parseInt(key.substring(hash + 1)), same, values));
    }
    return out;
  }

  // ---------------------------------------------------------------- reproduce

  @Override
  public Optional<ReproducePlan> reproduce(Viewer viewer, String host, String path) {
    Optional<LineageGraph> found =
        lineage.fromFile(
            viewer, host, path, null, Direction.UPSTREAM, REPRODUCE_DEPTH, REPRODUCE_LIMIT);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    LineageGraph g = found.get();
    String target = g.nodes().isEmpty() ? null : g.nodes().get(0).id();
    List<ProcessNode> procs = new ArrayList<>();
    Map<String, FileNode> files = new HashMap<>();
    for (Node n : g.nodes()) {
      if (n instanceof ProcessNode p) {
        procs.add(p);
      } else if (n instanceof FileNode f) {
        files.put(f.id(), f);
      }
    }
    procs.sort(Comparator.comparing(ProcessNode::start).thenComparing(ProcessNode::pid));
    Map<String, String> parents;
    Map<String, List<String>> argvs;
    try (Connection c = dataSource.getConnection()) {
      parents = new HashMap<>();
      argvs = new HashMap<>();
      processFacts(c, procs, parents, argvs);
    } catch (SQLException e) {
      throw new StoreException("reproduce query failed: " + e.getMessage(), e);
    }
    Set<String> listed = new HashSet<>();
    procs.forEach(p -> listed.add(p.id()));
    Map<String, ProcessNode> byId = new HashMap<>();
    procs.forEach(p -> byId.put(p.id(), p));
    // A listed process started by a listed non-shell (gcc starting cc1, as, ld) is re-run by it.
    // A shell's listed children stay separate steps; the shell itself becomes a note.
    Set<String> coveredByParent = new HashSet<>();
    Set<String> shellsWithSteps = new HashSet<>();
    for (ProcessNode p : procs) {
      String parent = parents.get(p.id());
      if (parent != null && listed.contains(parent)) {
        ProcessNode pp = byId.get(parent);
        if (isShell(pp, argvs.get(parent))) {
          shellsWithSteps.add(parent);
        } else {
          coveredByParent.add(p.id());
        }
      }
    }
    Set<String> covered = new HashSet<>(coveredByParent);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ProcessNode p : procs) {
        String parent = parents.get(p.id());
        if (!covered.contains(p.id())
            && parent != null
            && covered.contains(parent)
            && !shellsWithSteps.contains(parent)) {
          covered.add(p.id());
          grew = true;
        }
      }
    }
    List<ReproducePlan.Step> steps = new ArrayList<>();
    for (ProcessNode p : procs) {
      boolean inScript = !covered.contains(p.id()) && !shellsWithSteps.contains(p.id());
      steps.add(
          new ReproducePlan.Step(
              p.id(),
              p.cmdline(),
              argvs.getOrDefault(p.id(), List.of()),
              p.cwd(),
              p.host(),
              p.user(),
              p.start(),
              p.exitCode(),
              inScript,
              parents.get(p.id())));
    }
    String script = script(path, steps, g.edges(), files, shellsWithSteps, byId, g.truncated());
    return Optional.of(new ReproducePlan(target, path, steps, script, g.truncated()));
  }

  private static boolean isShell(ProcessNode p, List<String> argv) {
    return ShellScript.SHELLS.contains(
        ShellScript.program(p.exe(), argv == null ? List.of() : argv));
  }

  private static void processFacts(
      Connection c,
      List<ProcessNode> procs,
      Map<String, String> parents,
      Map<String, List<String>> argvs)
      throws SQLException {
    if (procs.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT p.host, p.pid, p.start_time, p.parent_pid, p.parent_start, p.argv"
                + " FROM unnest(?::text[], ?::integer[], ?::timestamptz[]) AS m(host, pid, st)"
                + " JOIN processes p ON p.host = m.host AND p.pid = m.pid"
                + " AND p.start_time = m.st")) {
      bindMembers(
          ps,
          1,
          c,
          procs.stream().map(ProcessNode::host).toArray(String[]::new),
          procs.stream().map(ProcessNode::pid).toArray(Integer[]::new),
          procs.stream().map(p -> p.start().toString()).toArray(String[]::new));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = new NodeId.Process(rs.getString(1), rs.getInt(2), instant(rs, 3)).text();
          Integer ppid = (Integer) rs.getObject(4);
          Instant pstart = instant(rs, 5);
          if (ppid != null && pstart != null) {
            parents.put(id, new NodeId.Process(rs.getString(1), ppid, pstart).text());
          }
          argvs.put(id, strings(rs.getArray(6)));
        }
      }
    }
  }

  private static String script(
      String target,
      List<ReproducePlan.Step> steps,
      List<Edge> edges,
      Map<String, FileNode> files,
      Set<String> shellsWithSteps,
      Map<String, ProcessNode> byId,
      boolean truncated) {
    List<String> runnable = new ArrayList<>();
    Map<String, ReproducePlan.Step> stepById = new HashMap<>();
    for (ReproducePlan.Step s : steps) {
      stepById.put(s.processId(), s);
      if (s.inScript()) {
        runnable.add(s.processId());
      }
    }
    List<String[]> pipes = new ArrayList<>();
    Map<String, List<String>> outputs = new HashMap<>();
    for (Edge e : edges) {
      if (e.type().equals("wasInformedBy") && !"fork".equals(e.kind())) {
        // informant (writer) first, so the pipeline reads left to right
        pipes.add(new String[] {e.to(), e.from()});
      } else if (e.type().equals("wasGeneratedBy")
          && !"rename".equals(e.kind())
          && files.containsKey(e.from())) {
        outputs.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(files.get(e.from()).path());
      }
    }
    Map<String, String> group = ShellScript.pipeGroups(runnable, pipes);
    Map<String, List<String>> members = new LinkedHashMap<>();
    for (String id : runnable) {
      members.computeIfAbsent(group.get(id), k -> new ArrayList<>()).add(id);
    }
    List<ShellScript.Command> commands = new ArrayList<>();
    for (ReproducePlan.Step s : steps) {
      if (shellsWithSteps.contains(s.processId())) {
        List<String> notes = new ArrayList<>();
        notes.add("The steps below ran inside: " + s.cmdline());
        List<String> own = outputs.getOrDefault(s.processId(), List.of());
        if (!own.isEmpty()) {
          notes.add(
              "It also wrote itself (shell built-ins, not re-created here): "
                  + String.join(
                      ", ", own.stream().map(p -> ShellScript.relative(p, s.cwd())).toList()));
        }
        commands.add(new ShellScript.Command(null, List.of(), null, notes));
      }
      List<String> m = members.get(group.getOrDefault(s.processId(), ""));
      if (!s.inScript() || m == null || !m.get(0).equals(s.processId())) {
        continue;
      }
      List<List<String>> argvList = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (String id : m) {
        ReproducePlan.Step st = stepById.get(id);
        argvList.add(st.argv().isEmpty() ? List.of(st.cmdline()) : st.argv());
        if (st.argv().contains("-")) {
          notes.add(st.cmdline() + ": read its input from standard input, which was not recorded");
        }
        if (!Objects.equals(st.host(), s.host())) {
          notes.add(st.cmdline() + " ran on " + st.host());
        }
      }
      String last = m.get(m.size() - 1);
      ReproducePlan.Step lastStep = stepById.get(last);
      String stdout = null;
      List<String> outs = outputs.getOrDefault(last, List.of());
      Set<String> distinct = new java.util.LinkedHashSet<>(outs);
      if (distinct.size() == 1) {
        String out = distinct.iterator().next();
        String rel = ShellScript.relative(out, lastStep.cwd());
        if (!mentions(lastStep.argv(), out, rel)) {
          stdout = rel;
        }
      }
      if (byId.get(s.processId()) != null && s.exitCode() != null && s.exitCode() != 0) {
        notes.add(s.cmdline() + " exited with status " + s.exitCode());
      }
      commands.add(new ShellScript.Command(s.cwd(), argvList, stdout, notes));
    }
    commands.removeIf(cmd -> cmd.argvs().isEmpty() && cmd.notes().isEmpty());
    return ShellScript.render(target, commands, truncated);
  }

  private static boolean mentions(List<String> argv, String path, String rel) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    for (String a : argv) {
      if (a.equals(path)
          || a.equals(rel)
          || a.endsWith("/" + base)
          || a.equals(base)
          || a.endsWith("=" + rel)
          || a.endsWith("=" + path)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- helpers

  private List<ProcessSummary> processes(Connection c, Viewer viewer, String where, Object... binds)
      throws SQLException {
    List<ProcessSummary> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT" + PROC + "FROM processes p WHERE" + SCOPE + " AND" + where)) {
      int i = bindScope(ps, 1, c, viewer);
      for (Object b : binds) {
        ps.setObject(i++, b);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(process(rs, 1));
        }
      }
    }
    return out;
  }

  static ProcessSummary process(ResultSet rs, int first) throws SQLException {
    String host = rs.getString(first);
    int pid = rs.getInt(first + 1);
    Instant start = instant(rs, first + 2);
    return new ProcessSummary(
        new NodeId.Process(host, pid, start).text(),
        host,
        pid,
        rs.getString(first + 3),
        rs.getString(first + 4),
        rs.getString(first + 5),
        (Integer) rs.getObject(first + 6),
        start,
        instant(rs, first + 7),
        (Integer) rs.getObject(first + 8),
        rs.getString(first + 9));
  }

  static int bindScope(PreparedStatement ps, int i, Connection c, Viewer viewer)
      throws SQLException {
    ps.setBoolean(i, viewer.seesAll());
    ps.setArray(i + 1, c.createArrayOf("integer", viewer.uidArray()));
    ps.setArray(i + 2, c.createArrayOf("integer", viewer.gidArray()));
    return i + 3;
  }

  private static void bindProcess(PreparedStatement ps, int i, NodeId.Process id)
      throws SQLException {
    ps.setString(i, id.host());
    ps.setInt(i + 1, id.pid());
    ps.setObject(i + 2, ts(id.start()));
  }

  private static void bindFile(PreparedStatement ps, int i, FileRef f) throws SQLException {
    ps.setString(i, f.host());
    ps.setString(i + 1, f.fs());
    ps.setLong(i + 2, f.inode());
  }

  static OffsetDateTime ts(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static List<String> strings(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    return Arrays.asList((String[]) a.getArray());
  }

  private static <T> Page<T> page(List<T> rows, int offset, int limit) {
    boolean more = rows.size() > limit;
    return new Page<>(more ? rows.subList(0, limit) : rows, offset, limit, more);
  }

  /** A LIKE pattern matching {@code s} literally. */
  static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /**
   * A LIKE pattern on {@code path_key(path)} that every path the search matches also matches: the
   * search's literal start (up to a glob's first wildcard), cut to {@link PathKey#prefix}, then
   * {@code %}; null when there is no literal start. A path that starts with at most 256 given
   * characters has a key that starts with them: the key is the path, or for a path over 2,048 bytes
   * its first 256 characters followed by a hash (V86).
   */
  static String keyPrefix(String pattern, boolean glob) {
    String start = pattern;
    if (glob) {
      int star = pattern.indexOf('*');
      int any = pattern.indexOf('?');
      int cut = star < 0 ? any : any < 0 ? star : Math.min(star, any);
      start = cut < 0 ? pattern : pattern.substring(0, cut);
    }
    start = PathKey.prefix(start);
    return start.isEmpty() ? null : escapeLike(start) + "%";
  }

  /** A shell glob ({@code *}, {@code ?}) as a LIKE pattern; everything else literal. */
  static String globToLike(String glob) {
    StringBuilder sb = new StringBuilder();
    for (char ch : glob.toCharArray()) {
      switch (ch) {
        case '*' -> sb.append('%');
        case '?' -> sb.append('_');
        case '%', '_', '\\' -> sb.append('\\').append(ch);
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }
}
