package io.ursprung.db.lineage;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.ursprung.db.auth.Viewer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lineage walk run level by level from the service: the same hops, visited set, node order, depth
 * and truncation as {@code lineage_graph} (V71), which walks the whole graph in one PL/pgSQL call.
 *
 * <p>Why not one call: a 10,000-node answer is some 35,000 index probes, and one call runs them on
 * one core. Here each level's probes are one statement per kind of frontier node; when a frontier
 * is large, its two halves run at the same time on two connections that share one snapshot ({@code
 * pg_export_snapshot}), and so do the attribute look-ups of processes and of file versions at the
 * end. The bookkeeping the function did with PL/pgSQL arrays (the visited set, the set difference
 * and sort of each level's new nodes, returning edge rows) is done here with hash sets. The cost is
 * one round trip per level and kind: a 20-node, depth-10 answer takes 2 to 3 ms more than the one
 * call (docs/performance.md).
 *
 * <p>With a {@link MemoryGraph} (the backend's lineage cache, caught up with the store), each
 * level's hops and most node attributes come from memory instead, under its read lock for the whole
 * walk; the rest is the same, so the answers are too.
 *
 * <p>Node keys travel as microseconds since the epoch with the two infinities as the smallest and
 * largest long ({@code lineage_key_us} / {@code lineage_key_ts}, V82), so they compare here as in
 * SQL. Text parts of a key compare by code point, which is the database's order under the C and
 * C.UTF-8 collations; under another collation a cut answer may keep other nodes than {@code
 * lineage_graph} would, equally valid.
 */
final class LevelWalk {
  private static final Logger LOG = LoggerFactory.getLogger(LevelWalk.class);

  static final long MINUS_INFINITY = Long.MIN_VALUE;
  static final long INFINITY = Long.MAX_VALUE;

  /** Frontiers (and attribute look-ups) at least this large are split over two connections. */
  static final int DEFAULT_SPLIT = 400;

  private static final Semaphore ACQUIRING = new Semaphore(1);

  private static final ExecutorService HELPERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "lineage-walk-helper");
            t.setDaemon(true);
            return t;
          });

  /** A (node, bound) pair of the walk; times are keys as described above. */
  record Key(String k, String host, String fs, long id, long t, long b) {
    Key node() {
      return b == t ? this : new Key(k, host, fs, id, t, t);
    }

    String text() {
      return JdbcLineageService.idOfMicros(k, host, fs, id, micros(t));
    }
  }

  /** The order in which a level's new nodes are taken, as {@code lineage_graph} sorts them. */
  static final Comparator<Key> ORDER =
      Comparator.comparing(Key::k, LevelWalk::byCodePoint)
          .thenComparing(Key::host, LevelWalk::byCodePoint)
          .thenComparingLong(Key::id)
          .thenComparingLong(Key::t)
          .thenComparing(Key::fs, LevelWalk::byCodePoint)
          .thenComparingLong(Key::b);

  /** A hop found from frontier node {@code from}: what a level's statements return per row. */
  record Hop(int part, int from, Key to, String edge, String kind) {}

  // Upstream: a file version <- its writer, and the version before it when a rename made it.
  private static final String UP_FILES =
      "SELECT f.i, h.part, h.k, h.host, h.fs, h.id, lineage_key_us(h.t), lineage_key_us(h.b),"
          + " h.edge, h.kind"
          + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])"
          + "  WITH ORDINALITY f(host, fs, id, tu, i)"
          + " JOIN file_versions v ON v.host = f.host AND v.fs = f.fs AND v.inode = f.id"
          + "  AND v.version_time = lineage_key_ts(f.tu)"
          + " CROSS JOIN LATERAL ("
          + "  SELECT 0 AS part, 'p' AS k, v.proc_host AS host, '' AS fs, v.pid::bigint AS id,"
          + "   v.start_time AS t, v.version_time AS b, 'wasGeneratedBy' AS edge, v.cause AS kind"
          + "  WHERE v.pid IS NOT NULL AND v.start_time IS NOT NULL"
          + "   AND (?::boolean OR EXISTS (SELECT 1 FROM processes p WHERE p.host = v.proc_host"
          + "    AND p.pid = v.pid AND p.start_time = v.start_time"
          + "    AND (p.uid = ANY (?::integer[]) OR p.gid = ANY (?::integer[]))))"
          + "  UNION ALL"
          + "  SELECT 0, 'f', f.host, f.fs, f.id, prev.t, prev.t, 'wasDerivedFrom', 'rename'"
          + "  FROM (SELECT coalesce(max(w.version_time), '-infinity'::timestamptz) AS t"
          + "   FROM file_versions w WHERE w.host = f.host AND w.fs = f.fs AND w.inode = f.id"
          + "    AND w.version_time < lineage_key_ts(f.tu)) prev"
          + "  WHERE v.cause = 'rename') h";

  // Upstream: a process <- the file versions it read or executed before its bound, and the
  // processes that wrote into its pipes and sockets.
  private static final String UP_PROCESSES =
      "WITH f AS (SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[])"
          + "  WITH ORDINALITY f(host, id, tu, bu, i))"
          + " SELECT f.i, 1, 'f', u.file_host, u.fs, u.inode, lineage_key_us(lv.t),"
          + "  lineage_key_us(lv.t), 'used', u.kind"
          + " FROM f JOIN used u ON u.host = f.host AND u.pid = f.id"
          + "  AND u.start_time = lineage_key_ts(f.tu) AND u.time <= lineage_key_ts(f.bu)"
          + " CROSS JOIN LATERAL ("
          + "  SELECT coalesce(max(w.version_time), '-infinity'::timestamptz) AS t"
          + "  FROM file_versions w WHERE w.host = u.file_host AND w.fs = u.fs"
          + "   AND w.inode = u.inode AND w.version_time <= u.time) lv"
          + " UNION ALL"
          + " SELECT f.i, 2, 'p', w.host, '', w.informant_pid::bigint,"
          + "  lineage_key_us(w.informant_start),"
          + "  CASE WHEN w.kind = 'fork' THEN lineage_key_us(w.time) ELSE f.bu END,"
          + "  'wasInformedBy', w.kind"
          + " FROM f JOIN was_informed_by w ON w.host = f.host AND w.pid = f.id"
          + "  AND w.start_time = lineage_key_ts(f.tu) AND w.time <= lineage_key_ts(f.bu)"
          + "  AND (?::boolean OR w.kind NOT IN ('fork', 'signal'))"
          + " WHERE ?::boolean OR EXISTS (SELECT 1 FROM processes q WHERE q.host = w.host"
          + "  AND q.pid = w.informant_pid AND q.start_time = w.informant_start"
          + "  AND (q.uid = ANY (?::integer[]) OR q.gid = ANY (?::integer[])))";

  // Downstream: a file version -> the processes that read it while it was the current version,
  // and the next version of its inode when a rename made it.
  private static final String DOWN_FILES =
      "WITH f AS (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])"
          + "  WITH ORDINALITY f(host, fs, id, tu, i))"
          + " SELECT f.i, 0, 'p', r.host, '', r.pid::bigint, lineage_key_us(r.start_time),"
          + "  lineage_key_us(r.first_read), 'used', r.kind"
          + " FROM f CROSS JOIN LATERAL ("
          + "  SELECT coalesce(min(w.version_time), 'infinity'::timestamptz) AS t"
          + "  FROM file_versions w WHERE w.host = f.host AND w.fs = f.fs AND w.inode = f.id"
          + "   AND w.version_time > lineage_key_ts(f.tu)) nxt"
          + " CROSS JOIN LATERAL ("
          + "  SELECT u.host, u.pid, u.start_time, min(u.kind) AS kind, min(u.time) AS first_read"
          + "  FROM used u WHERE u.file_host = f.host AND u.fs = f.fs AND u.inode = f.id"
          + "   AND u.time >= lineage_key_ts(f.tu) AND u.time < nxt.t"
          + "   AND u.pid IS NOT NULL AND u.start_time IS NOT NULL"
          + "  GROUP BY u.host, u.pid, u.start_time) r"
          + " WHERE ?::boolean OR EXISTS (SELECT 1 FROM processes p WHERE p.host = r.host"
          + "  AND p.pid = r.pid AND p.start_time = r.start_time"
          + "  AND (p.uid = ANY (?::integer[]) OR p.gid = ANY (?::integer[])))"
          + " UNION ALL"
          + " SELECT f.i, 1, 'f', f.host, f.fs, f.id, lineage_key_us(nv.t), lineage_key_us(nv.t),"
          + "  'wasDerivedFrom', 'rename'"
          + " FROM f CROSS JOIN LATERAL ("
          + "  SELECT w.version_time AS t, w.cause FROM file_versions w"
          + "  WHERE w.host = f.host AND w.fs = f.fs AND w.inode = f.id"
          + "   AND w.version_time > lineage_key_ts(f.tu)"
          + "  ORDER BY w.version_time LIMIT 1) nv"
          + " WHERE nv.cause = 'rename'";

  // Downstream: a process -> the versions it wrote after its bound, and the processes reading its
  // pipes and sockets.
  private static final String DOWN_PROCESSES =
      "WITH f AS (SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[])"
          + "  WITH ORDINALITY f(host, id, tu, bu, i))"
          + " SELECT f.i, 2, 'f', v.host, v.fs, v.inode, lineage_key_us(v.version_time),"
          + "  lineage_key_us(v.version_time), 'wasGeneratedBy', v.cause"
          + " FROM f JOIN file_versions v ON v.proc_host = f.host AND v.pid = f.id"
          + "  AND v.start_time = lineage_key_ts(f.tu) AND v.version_time >= lineage_key_ts(f.bu)"
          + " UNION ALL"
          + " SELECT f.i, 3, 'p', w.host, '', w.pid::bigint, lineage_key_us(w.start_time),"
          + "  greatest(f.bu, lineage_key_us(w.time)), 'wasInformedBy', w.kind"
          + " FROM f JOIN was_informed_by w ON w.host = f.host AND w.informant_pid = f.id"
          + "  AND w.informant_start = lineage_key_ts(f.tu)"
          + "  AND (?::boolean OR w.kind NOT IN ('fork', 'signal'))"
          + " WHERE ?::boolean OR EXISTS (SELECT 1 FROM processes q WHERE q.host = w.host"
          + "  AND q.pid = w.pid AND q.start_time = w.start_time"
          + "  AND (q.uid = ANY (?::integer[]) OR q.gid = ANY (?::integer[])))";

  private static final String PROCESS_ATTRIBUTES =
      "SELECT n.i, array_to_string(p.argv, ' '), p.cwd, coalesce(p.user_name, p.uid::text),"
          + " p.uid, p.end_time, p.exit_code, p.exe"
          + " FROM unnest(?::text[], ?::bigint[], ?::bigint[]) WITH ORDINALITY n(host, id, tu, i)"
          + " LEFT JOIN processes p ON p.host = n.host AND p.pid = n.id"
          + "  AND p.start_time = lineage_key_ts(n.tu)";

  // A version's number, path and size from one range scan of its inode's versions; a path from the
  // names when the version has none.
  private static final String FILE_ATTRIBUTES =
      "SELECT n.i, coalesce(fv.path,"
          + "  (SELECT m.path FROM file_names m WHERE m.host = n.host AND m.fs = n.fs"
          + "    AND m.inode = n.id AND m.time <= lineage_key_ts(n.tu) ORDER BY m.time DESC LIMIT 1),"
          + "  (SELECT m.path FROM file_names m WHERE m.host = n.host AND m.fs = n.fs"
          + "    AND m.inode = n.id ORDER BY m.time LIMIT 1),"
          + "  (SELECT u.path FROM used u WHERE u.file_host = n.host AND u.fs = n.fs"
          + "    AND u.inode = n.id AND u.path IS NOT NULL LIMIT 1)),"
          + " fv.version, fv.size"
          + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])"
          + "  WITH ORDINALITY n(host, fs, id, tu, i)"
          + " CROSS JOIN LATERAL ("
          + "  SELECT count(*) AS version,"
          + "   (array_agg(v.path) FILTER (WHERE v.version_time = lineage_key_ts(n.tu)"
          + "     AND v.path IS NOT NULL))[1] AS path,"
          + "   (array_agg(v.size) FILTER (WHERE v.version_time = lineage_key_ts(n.tu)"
          + "     AND v.size IS NOT NULL))[1] AS size"
          + "  FROM file_versions v WHERE v.host = n.host AND v.fs = n.fs AND v.inode = n.id"
          + "   AND v.version_time <= lineage_key_ts(n.tu)) fv";

  private final DataSource dataSource;
  private final Connection main;
  private final Viewer viewer;
  private final boolean upstream;
  private final boolean viaFork;
  private final int split;
  private final AtomicLong splits;
  // Node ids by key, for the walk's own thread (sized in walk()).
  private Map<Key, String> texts;
  private final MemoryGraph graph;
  private Connection helper;
  private boolean helperTried;

  LevelWalk(
      DataSource dataSource,
      Connection main,
      Viewer viewer,
      boolean upstream,
      boolean viaFork,
      int split,
      AtomicLong splits,
      MemoryGraph graph) {
    this.dataSource = dataSource;
    this.graph = graph;
    this.main = main;
    this.viewer = viewer;
    this.upstream = upstream;
    this.viaFork = viaFork;
    this.split = split;
    this.splits = splits;
  }

  /**
   * Walks from {@code start} and fills {@code walked} with the nodes (walk order, attributes looked
   * up) and the edges, as the rows of {@code lineage_graph} would.
   */
  void run(List<Key> start, int maxDepth, int maxNodes, JdbcLineageService.Walked walked)
      throws SQLException {
    boolean autoCommit = main.getAutoCommit();
    main.setAutoCommit(false);
    try {
      try (Statement s = main.createStatement()) {
        // Every level (and the helper connection, which imports this snapshot) sees one state of
        // the graph, as the single statement did.
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      walk(start, maxDepth, maxNodes, walked);
    } finally {
      // Read-only: rolling back ends the snapshot without writing anything. The helper goes back
      // to the pool first, so that a broken main connection does not keep it.
      try {
        closeHelper();
      } finally {
        main.rollback();
        main.setAutoCommit(autoCommit);
      }
    }
  }

  private void walk(List<Key> start, int maxDepth, int maxNodes, JdbcLineageService.Walked walked)
      throws SQLException {
    // Sized for the answer up front: growing these tables was a tenth of a large walk's time.
    int expected = Math.min(maxNodes, 1 << 16);
    int capacity = expected * 4 / 3 + 1;
    texts = new HashMap<>(capacity);
    List<Key> visited = new ArrayList<>(expected);
    Set<Key> seen = new HashSet<>(capacity);
    List<Integer> depths = new ArrayList<>(expected);
    for (Key s : start) {
      if (visited.size() < maxNodes && seen.add(s)) {
        visited.add(s);
        depths.add(0);
      }
    }
    List<Key> frontier = new ArrayList<>(visited);
    Map<Key, int[]> nodes = new LinkedHashMap<>(capacity);
    Map<Key, Node> made = new HashMap<>(capacity);
    if (graph != null) {
      // The whole walk sees one state of the graph: the cache applies transactions between walks.
      graph.lock.readLock().lock();
    }
    try {
      int cutFrom = levels(frontier, visited, seen, depths, maxDepth, maxNodes, walked);
      // One node per distinct (kind, host, fs, id, time): a process reached with several bounds
      // was expanded once per bound but is one node, first found on its smallest depth.
      for (int i = 0; i < visited.size(); i++) {
        Key node = visited.get(i).node();
        int[] depthAndCut = nodes.get(node);
        if (depthAndCut == null) {
          depthAndCut = new int[] {depths.get(i), 0};
          nodes.put(node, depthAndCut);
        }
        if (cutFrom >= 0 && i >= cutFrom) {
          depthAndCut[1] = 1;
        }
      }
      if (graph != null) {
        for (Map.Entry<Key, int[]> e : nodes.entrySet()) {
          Key k = e.getKey();
          int depth = e.getValue()[0];
          if ("f".equals(k.k())) {
            MemoryGraph.FileAttributes a = graph.fileAttributes(k);
            if (a != null) {
              made.put(k, fileNode(text(k), k, a.path(), a.version(), a.size(), depth));
            }
          } else {
            MemoryGraph.ProcessAttributes a = graph.processAttributes(k);
            if (a != null) {
              made.put(
                  k,
                  processNode(
                      text(k),
                      k,
                      a.cmdline(),
                      a.cwd(),
                      a.user(),
                      a.uid(),
                      a.end() == null ? null : NodeId.fromMicros(a.end()),
                      a.exitCode(),
                      a.exe(),
                      depth));
            }
          }
        }
      }
    } finally {
      if (graph != null) {
        graph.lock.readLock().unlock();
      }
    }
    attributes(nodes, made, walked);
  }

  /** The levels of the walk; returns where the cap cut the last level, or -1. */
  private int levels(
      List<Key> frontier,
      List<Key> visited,
      Set<Key> seen,
      List<Integer> depths,
      int maxDepth,
      int maxNodes,
      JdbcLineageService.Walked walked)
      throws SQLException {
    int cutFrom = -1;
    int d = 0;
    while (d < maxDepth && !frontier.isEmpty()) {
      d++;
      List<Hop> hops = hops(frontier);
      int room = maxNodes - visited.size();
      Set<Key> candidates = new HashSet<>(hops.size() * 4 / 3 + 1);
      List<Key> fresh = new ArrayList<>();
      for (Hop h : hops) {
        if (!seen.contains(h.to()) && candidates.add(h.to())) {
          fresh.add(h.to());
        }
      }
      fresh.sort(ORDER);
      boolean cut = fresh.size() > room;
      if (cut) {
        // The cap cuts this level: keep room nodes and only the edges that reach kept nodes.
        fresh = fresh.subList(0, Math.max(room, 0));
        cutFrom = visited.size();
      }
      for (Key k : fresh) {
        visited.add(k);
        seen.add(k);
        depths.add(d);
      }
      for (Hop h : hops) {
        if (!cut || seen.contains(h.to())) {
          String from = text(frontier.get(h.from()));
          String to = text(h.to());
          walked.edges.add(
              upstream
                  ? new Edge(from, to, h.edge(), h.kind())
                  : new Edge(to, from, h.edge(), h.kind()));
        }
      }
      if (cut) {
        break;
      }
      frontier = new ArrayList<>(fresh);
    }
    return cutFrom;
  }

  private String text(Key k) {
    return texts.computeIfAbsent(k, Key::text);
  }

  /** One level's hops, in the order {@code lineage_graph} lists them. */
  private List<Hop> hops(List<Key> frontier) throws SQLException {
    List<Integer> files = new ArrayList<>();
    List<Integer> processes = new ArrayList<>();
    for (int i = 0; i < frontier.size(); i++) {
      ("f".equals(frontier.get(i).k()) ? files : processes).add(i);
    }
    List<Hop> hops = new ArrayList<>();
    if (graph != null) {
      hops.addAll(graph.hops(upstream, frontier, files, viaFork, viewer));
      hops.addAll(graph.hops(upstream, frontier, processes, viaFork, viewer));
    } else {
      if (!files.isEmpty()) {
        hops.addAll(run(upstream ? UP_FILES : DOWN_FILES, frontier, files, true));
      }
      if (!processes.isEmpty()) {
        hops.addAll(run(upstream ? UP_PROCESSES : DOWN_PROCESSES, frontier, processes, false));
      }
    }
    // Edges come out in this order: by part (as the function listed them), frontier position and
    // the node reached, so that an answer lists its edges the same way on every call whatever the
    // plans and however the frontier was split (the function's order within a part was its plan's).
    hops.sort(
        Comparator.comparingInt(Hop::part)
            .thenComparingInt(Hop::from)
            .thenComparing(Hop::to, ORDER)
            .thenComparing(Hop::kind, Comparator.nullsFirst(LevelWalk::byCodePoint)));
    return hops;
  }

  private List<Hop> run(String sql, List<Key> frontier, List<Integer> which, boolean files)
      throws SQLException {
    int n = which.size();
    Connection other = n >= split && n >= 2 ? helper() : null;
    if (other == null) {
      return hopsOn(main, sql, frontier, which, files);
    }
    splits.incrementAndGet();
    List<Integer> first = which.subList(0, n / 2);
    List<Integer> second = which.subList(n / 2, n);
    Both<List<Hop>, List<Hop>> done =
        both(
            () -> hopsOn(main, sql, frontier, first, files),
            () -> hopsOn(other, sql, frontier, second, files));
    List<Hop> hops = new ArrayList<>(done.here());
    hops.addAll(done.there());
    return hops;
  }

  @FunctionalInterface
  private interface Part<T> {
    T run() throws SQLException;
  }

  private record Both<A, B>(A here, B there) {}

  /**
   * Runs {@code here} on this thread and {@code there} on a helper thread at the same time. The
   * helper is always waited for, even when this thread's part fails, so that its connection is not
   * closed or reused under it.
   */
  private static <A, B> Both<A, B> both(Part<A> here, Part<B> there) throws SQLException {
    Future<B> later = HELPERS.submit(there::run);
    A a;
    try {
      a = here.run();
    } catch (SQLException | RuntimeException e) {
      try {
        join(later);
      } catch (SQLException | RuntimeException other) {
        e.addSuppressed(other);
      }
      throw e;
    }
    return new Both<>(a, join(later));
  }

  private List<Hop> hopsOn(
      Connection c, String sql, List<Key> frontier, List<Integer> which, boolean files)
      throws SQLException {
    List<Key> keys = new ArrayList<>(which.size());
    which.forEach(i -> keys.add(frontier.get(i)));
    List<Hop> hops = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      // File versions by (host, fs, inode, time); processes by (host, pid, start, bound).
      int p = bindKeys(c, ps, keys, files, !files);
      if (!files) {
        ps.setBoolean(p++, viaFork);
      }
      ps.setBoolean(p++, viewer.seesAll());
      Array uids = c.createArrayOf("integer", viewer.uidArray());
      Array gids = c.createArrayOf("integer", viewer.gidArray());
      ps.setArray(p++, uids);
      ps.setArray(p++, gids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int from = which.get((int) rs.getLong(1) - 1);
          Key to =
              new Key(
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  rs.getLong(8));
          hops.add(new Hop(rs.getInt(2), from, to, rs.getString(9), rs.getString(10)));
        }
      }
    }
    return hops;
  }

  /**
   * Binds the keys as arrays from the first parameter on: hosts, file systems (with {@code fs}),
   * ids, times, bounds (with {@code bound}). Returns the next parameter's index.
   */
  private static int bindKeys(
      Connection c, PreparedStatement ps, List<Key> keys, boolean fs, boolean bound)
      throws SQLException {
    int n = keys.size();
    String[] hosts = new String[n];
    String[] fss = new String[n];
    Long[] ids = new Long[n];
    Long[] times = new Long[n];
    Long[] bounds = new Long[n];
    for (int i = 0; i < n; i++) {
      Key k = keys.get(i);
      hosts[i] = k.host();
      fss[i] = k.fs();
      ids[i] = k.id();
      times[i] = k.t();
      bounds[i] = k.b();
    }
    int p = 1;
    ps.setArray(p++, c.createArrayOf("text", hosts));
    if (fs) {
      ps.setArray(p++, c.createArrayOf("text", fss));
    }
    ps.setArray(p++, c.createArrayOf("bigint", ids));
    ps.setArray(p++, c.createArrayOf("bigint", times));
    if (bound) {
      ps.setArray(p++, c.createArrayOf("bigint", bounds));
    }
    return p;
  }

  /**
   * Attributes of the distinct nodes, into {@code walked} in walk order: those in {@code made}
   * already (from the in-memory graph), the others looked up.
   */
  private void attributes(
      Map<Key, int[]> nodes, Map<Key, Node> made, JdbcLineageService.Walked walked)
      throws SQLException {
    List<Key> processes = new ArrayList<>();
    List<Key> files = new ArrayList<>();
    for (Key k : nodes.keySet()) {
      if (!made.containsKey(k)) {
        ("p".equals(k.k()) ? processes : files).add(k);
      }
    }
    Connection other = processes.size() + files.size() >= split ? helper() : null;
    if (other == null) {
      processNodes(main, processes, nodes, made);
      fileNodes(main, files, nodes, made);
    } else {
      // Half of each kind on each connection: a file version's look-up costs more than a
      // process's, so splitting by kind would leave one connection waiting for the other.
      splits.incrementAndGet();
      int p = processes.size() / 2;
      int f = files.size() / 2;
      Both<Map<Key, Node>, Map<Key, Node>> done =
          both(
              () -> {
                Map<Key, Node> m = new HashMap<>();
                processNodes(main, processes.subList(0, p), nodes, m);
                fileNodes(main, files.subList(0, f), nodes, m);
                return m;
              },
              () -> {
                Map<Key, Node> m = new HashMap<>();
                processNodes(other, processes.subList(p, processes.size()), nodes, m);
                fileNodes(other, files.subList(f, files.size()), nodes, m);
                return m;
              });
      made.putAll(done.here());
      made.putAll(done.there());
    }
    for (Map.Entry<Key, int[]> e : nodes.entrySet()) {
      Node node = made.get(e.getKey());
      if (node == null) {
        throw new SQLException("no attributes came back for lineage node " + e.getKey().text());
      }
      walked.nodes.putIfAbsent(node.id(), node);
      if (e.getValue()[1] != 0) {
        walked.truncated = true;
      }
    }
  }

  // The look-ups below may run on the helper thread: node ids are built here (Key.text), not taken
  // from the walk's own table of them.
  private static void processNodes(
      Connection c, List<Key> keys, Map<Key, int[]> nodes, Map<Key, Node> made)
      throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(PROCESS_ATTRIBUTES)) {
      bindKeys(c, ps, keys, false, false);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Key k = keys.get((int) rs.getLong(1) - 1);
          made.put(
              k,
              processNode(
                  k.text(),
                  k,
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  (Integer) rs.getObject(5),
                  JdbcLineageService.instant(rs, 6),
                  (Integer) rs.getObject(7),
                  rs.getString(8),
                  nodes.get(k)[0]));
        }
      }
    }
  }

  private static void fileNodes(
      Connection c, List<Key> keys, Map<Key, int[]> nodes, Map<Key, Node> made)
      throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(FILE_ATTRIBUTES)) {
      bindKeys(c, ps, keys, true, false);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Key k = keys.get((int) rs.getLong(1) - 1);
          made.put(
              k,
              fileNode(
                  k.text(),
                  k,
                  rs.getString(2),
                  rs.getInt(3),
                  (Long) rs.getObject(4),
                  nodes.get(k)[0]));
        }
      }
    }
  }

  private static ProcessNode processNode(
      String id,
      Key k,
      String cmdline,
      String cwd,
      String user,
      Integer uid,
      Instant end,
      Integer exitCode,
      String exe,
      int depth) {
    Long us = micros(k.t());
    return new ProcessNode(
        id,
        "process",
        k.host(),
        (int) k.id(),
        cmdline,
        cwd,
        user,
        uid,
        us == null ? null : NodeId.fromMicros(us),
        end,
        exitCode,
        exe,
        depth);
  }

  private static FileNode fileNode(
      String id, Key k, String path, int version, Long size, int depth) {
    Long us = micros(k.t());
    return new FileNode(
        id,
        "file",
        k.host(),
        path,
        version,
        us == null ? null : NodeId.fromMicros(us),
        k.fs(),
        k.id(),
        size,
        depth);
  }

  /**
   * A second connection on this walk's snapshot, or null when the pool has none to spare (then
   * everything runs on the first connection, as it would under load).
   */
  private Connection helper() {
    if (helperTried) {
      return helper;
    }
    helperTried = true;
    // One walk at a time may be waiting for a second connection. Without this, walks holding every
    // connection of the pool could all wait for a second one (the idle count below can be stale by
    // the time the pool is asked) until the pool's time-out; with it, whoever waits waits only for
    // some other request to finish.
    if (!ACQUIRING.tryAcquire()) {
      return null;
    }
    try {
      if (dataSource instanceof HikariDataSource h) {
        HikariPoolMXBean pool = h.getHikariPoolMXBean();
        if (pool == null || pool.getIdleConnections() < 1) {
          return null;
        }
      }
      helper = connectHelper();
      return helper;
    } finally {
      ACQUIRING.release();
    }
  }

  private Connection connectHelper() {
    Connection c = null;
    try {
      String snapshot;
      try (Statement s = main.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        snapshot = rs.getString(1);
      }
      if (!snapshot.matches("[0-9A-Fa-f-]+")) {
        throw new SQLException("unexpected snapshot id " + snapshot);
      }
      c = dataSource.getConnection();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
      }
      return c;
    } catch (SQLException e) {
      LOG.debug("lineage walk continues on one connection: {}", e.toString());
      if (c != null) {
        try {
          c.rollback();
          c.setAutoCommit(true);
          c.close();
        } catch (SQLException ignored) {
          // The pool discards a connection it cannot reset.
        }
      }
      return null;
    }
  }

  private void closeHelper() throws SQLException {
    if (helper == null) {
      return;
    }
    Connection c = helper;
    helper = null;
    try {
      c.rollback();
      c.setAutoCommit(true);
    } finally {
      c.close();
    }
  }

  private static <T> T join(Future<T> f) throws SQLException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw new SQLException("lineage walk helper failed: " + e.getCause(), e.getCause());
    }
  }

  /** Microseconds for a key time; null for the infinities, as node ids show them. */
  static Long micros(long t) {
    return t == MINUS_INFINITY || t == INFINITY ? null : t;
  }

  static int byCodePoint(String a, String b) {
    if (a == b) {
      // Hosts and kinds of the in-memory graph's keys are one shared string each.
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
