package io.ursprung.db.lineage;

import io.ursprung.db.auth.Viewer;
import io.ursprung.db.query.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * {@link LineageService} over the graph tables. Lineage walks with the {@code lineage_graph}
 * function (migration V71), which returns the walk and the attributes of every node it finds in one
 * round trip; neighbourhoods with {@code lineage_walk} (V21, V70) and the attributes in the same
 * statement. Every value reaches SQL as a bind parameter.
 */
public final class JdbcLineageService implements LineageService {

  /** Neighbours gathered per direction before paging. */
  static final int NEIGHBOURHOOD_CAP = 20_000;

  private static final String START =
      "ARRAY(SELECT ROW(s.k, s.host, s.fs, s.id, s.t::timestamptz, s.b::timestamptz)::lineage_node"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])"
          + " AS s(k, host, fs, id, t, b))";

  private static final String WALK =
      "lineage_walk(" + START + ", ?, ?, ?, ?, ?, ?::integer[], ?::integer[])";

  // The walk returns a row per (node, bound) pair and per edge, about 30,000 for a 10,000-node
  // answer. Attributes are looked up once per distinct node (n: first row, smallest depth, and
  // whether any of its rows was cut off), processes and file versions each only with their own
  // lookups, and a version's number, path and size come from one range scan of its inode's
  // versions. Node rows come first, in the walk's order (which decides the answer's node order),
  // then the edge rows in the walk's order; the service reads the two independently.
  private static final String ATTRIBUTES =
      ", n AS MATERIALIZED (SELECT w.dir, w.o_k, w.o_host, w.o_fs, w.o_id, w.o_t,"
          + " min(w.seq) AS seq, min(w.o_depth) AS depth,"
          + " bool_or(w.o_kind = 'truncated') AS cut"
          + " FROM w WHERE w.o_row = 'n' GROUP BY 1, 2, 3, 4, 5, 6)"
          + " SELECT * FROM (SELECT * FROM ("
          + "SELECT 'n' AS o_row, n.depth, n.o_k, n.o_host, n.o_fs, n.o_id,"
          + " CASE WHEN isfinite(n.o_t) THEN n.o_t END,"
          + " NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::timestamptz, NULL::text,"
          + " CASE WHEN n.cut THEN 'truncated' END,"
          + " array_to_string(p.argv, ' '), p.cwd, coalesce(p.user_name, p.uid::text), p.uid,"
          + " p.end_time, p.exit_code, p.exe, NULL::text, NULL::bigint, NULL::bigint,"
          + " n.dir, n.seq"
          + " FROM n LEFT JOIN processes p ON p.host = n.o_host AND p.pid = n.o_id"
          + "  AND p.start_time = n.o_t"
          + " WHERE n.o_k = 'p'"
          + " UNION ALL "
          + "SELECT 'n', n.depth, n.o_k, n.o_host, n.o_fs, n.o_id,"
          + " CASE WHEN isfinite(n.o_t) THEN n.o_t END,"
          + " NULL, NULL, NULL, NULL, NULL, NULL, CASE WHEN n.cut THEN 'truncated' END,"
          + " NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
          + " coalesce(fv.path,"
          + "  (SELECT m.path FROM file_names m WHERE m.host = n.o_host AND m.fs = n.o_fs"
          + "    AND m.inode = n.o_id AND m.time <= n.o_t ORDER BY m.time DESC LIMIT 1),"
          + "  (SELECT m.path FROM file_names m WHERE m.host = n.o_host AND m.fs = n.o_fs"
          + "    AND m.inode = n.o_id ORDER BY m.time LIMIT 1),"
          + "  (SELECT u.path FROM used u WHERE u.file_host = n.o_host AND u.fs = n.o_fs"
          + "    AND u.inode = n.o_id AND u.path IS NOT NULL LIMIT 1)),"
          + " fv.version, fv.size, n.dir, n.seq"
          + " FROM n CROSS JOIN LATERAL (SELECT count(*) AS version,"
          + "  (array_agg(v.path) FILTER (WHERE v.version_time = n.o_t"
          + "    AND v.path IS NOT NULL))[1] AS path,"
          + "  (array_agg(v.size) FILTER (WHERE v.version_time = n.o_t"
          + "    AND v.size IS NOT NULL))[1] AS size"
          + "  FROM file_versions v WHERE v.host = n.o_host AND v.fs = n.o_fs"
          + "   AND v.inode = n.o_id AND v.version_time <= n.o_t) fv"
          + " WHERE n.o_k = 'f') a ORDER BY a.dir, a.seq) nodes"
          + " UNION ALL "
          + "SELECT w.o_row, w.o_depth, w.o_k, w.o_host, w.o_fs, w.o_id,"
          + " CASE WHEN isfinite(w.o_t) THEN w.o_t END,"
          + " w.o_from_k, w.o_from_host, w.o_from_fs, w.o_from_id,"
          + " CASE WHEN isfinite(w.o_from_t) THEN w.o_from_t END, w.o_edge, w.o_kind,"
          + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, w.dir, w.seq"
          + " FROM w WHERE w.o_row = 'e'";

  private static final String WALK_COLUMNS =
      " x(o_row, o_depth, o_k, o_host, o_fs, o_id, o_t, o_from_k, o_from_host, o_from_fs,"
          + " o_from_id, o_from_t, o_edge, o_kind, seq)";

  private static final String LINEAGE_SQL =
      "WITH w AS MATERIALIZED (SELECT x.*, 0 AS dir FROM "
          + WALK
          + " WITH ORDINALITY"
          + WALK_COLUMNS
          + ")"
          + ATTRIBUTES;

  // Walk and attributes in one function (V71): node rows once per distinct node with attributes,
  // edge rows, times as microseconds since the epoch (see Graph).
  private static final String GRAPH_SQL =
      "SELECT * FROM lineage_graph(" + START + ", ?, ?, ?, ?, ?, ?::integer[], ?::integer[])";

  private static final String NEIGHBOURHOOD_SQL =
      "WITH w AS MATERIALIZED (SELECT x.*, 0 AS dir FROM "
          + WALK
          + " WITH ORDINALITY"
          + WALK_COLUMNS
          + " UNION ALL SELECT x.*, 1 AS dir FROM "
          + WALK
          + " WITH ORDINALITY"
          + WALK_COLUMNS
          + ")"
          + ATTRIBUTES;

  /** How lineage walks are answered. */
  enum Mode {
    /** {@link LevelWalk}: level by level, large levels over two connections (the service's). */
    LEVELS,
    /** One call of {@code lineage_graph} (V71), which {@link LevelWalk} replaced. */
    FUNCTION,
    /** The statement over {@code lineage_walk} (V70) that {@code lineage_graph} replaced. */
    REFERENCE
  }

  private final DataSource dataSource;
  private final Mode mode;
  private final int split;
  private final AtomicLong splits = new AtomicLong();
  private volatile GraphCache cache;

  public JdbcLineageService(DataSource dataSource) {
    this(dataSource, Mode.LEVELS, LevelWalk.DEFAULT_SPLIT);
  }

  /**
   * The earlier ways of answering are kept so that tests and the benchmark can compare answers and
   * times; {@code split} is the frontier size from which {@link LevelWalk} uses two connections.
   */
  JdbcLineageService(DataSource dataSource, Mode mode, int split) {
    this.dataSource = dataSource;
    this.mode = mode;
    this.split = split;
  }

  /** The service answering lineage with the V70 statement, for comparisons. */
  static JdbcLineageService reference(DataSource dataSource) {
    return new JdbcLineageService(dataSource, Mode.REFERENCE, LevelWalk.DEFAULT_SPLIT);
  }

  /** The service answering lineage with one call of {@code lineage_graph} (V71). */
  static JdbcLineageService function(DataSource dataSource) {
    return new JdbcLineageService(dataSource, Mode.FUNCTION, LevelWalk.DEFAULT_SPLIT);
  }

  /** The service as it answers, splitting every frontier of at least {@code split} nodes. */
  static JdbcLineageService splitting(DataSource dataSource, int split) {
    return new JdbcLineageService(dataSource, Mode.LEVELS, split);
  }

  /**
   * Walks hop over {@code cache}'s in-memory graph whenever it is caught up with the store, and in
   * SQL otherwise; node attributes come from it too where it holds what the store's look-up would
   * give. Null: always SQL.
   */
  public JdbcLineageService withCache(GraphCache cache) {
    this.cache = cache;
    return this;
  }

  /** How many levels or attribute look-ups so far ran on two connections at once. */
  long splitSteps() {
    return splits.get();
  }

  @Override
  public Optional<LineageGraph> fromFile(
      Viewer viewer,
      String host,
      String path,
      Integer version,
      Direction direction,
      int depth,
      int limit) {
    try (Connection c = dataSource.getConnection()) {
      Optional<FileRef> file = Files.resolve(c, host, path);
      if (file.isEmpty() || !Files.visible(c, viewer, file.get())) {
        return Optional.empty();
      }
      List<Instant> versions = Files.versionTimes(c, file.get());
      List<StartNode> start = new ArrayList<>();
      if (version != null) {
        if (version == 0) {
          start.add(StartNode.file(file.get(), null));
        } else if (version <= versions.size()) {
          start.add(StartNode.file(file.get(), versions.get(version - 1)));
        } else {
          return Optional.empty();
        }
      } else if (direction == Direction.UPSTREAM) {
        start.add(
            StartNode.file(
                file.get(), versions.isEmpty() ? null : versions.get(versions.size() - 1)));
      } else {
        start.add(StartNode.file(file.get(), null));
        for (Instant t : versions) {
          start.add(StartNode.file(file.get(), t));
        }
      }
      return Optional.of(walk(c, viewer, start, direction, false, depth, limit));
    } catch (SQLException e) {
      throw new StoreException("lineage query failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<LineageGraph> fromNode(
      Viewer viewer, NodeId node, Direction direction, int depth, int limit) {
    try (Connection c = dataSource.getConnection()) {
      if (!visible(c, viewer, node)) {
        return Optional.empty();
      }
      StartNode start = StartNode.of(node, direction);
      return Optional.of(walk(c, viewer, List.of(start), direction, false, depth, limit));
    } catch (SQLException e) {
      throw new StoreException("lineage query failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<LineageGraph> neighbourhood(Viewer viewer, NodeId node, int offset, int limit) {
    try (Connection c = dataSource.getConnection()) {
      if (!visible(c, viewer, node)) {
        return Optional.empty();
      }
      Walked up;
      Walked down;
      try (PreparedStatement ps = c.prepareStatement(NEIGHBOURHOOD_SQL)) {
        int i =
            bindWalk(
                ps,
                1,
                c,
                viewer,
                List.of(StartNode.of(node, Direction.UPSTREAM)),
                true,
                true,
                1,
                NEIGHBOURHOOD_CAP);
        bindWalk(
            ps,
            i,
            c,
            viewer,
            List.of(StartNode.of(node, Direction.DOWNSTREAM)),
            false,
            true,
            1,
            NEIGHBOURHOOD_CAP);
        up = new Walked(Direction.UPSTREAM);
        down = new Walked(Direction.DOWNSTREAM);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            (rs.getInt(25) == 0 ? up : down).add(rs);
          }
        }
      }
      Map<String, Node> all = new LinkedHashMap<>(up.nodes);
      down.nodes.forEach(all::putIfAbsent);
      String self = node.text();
      Node start = all.get(self);
      List<Node> neighbours = new ArrayList<>();
      for (Node n : all.values()) {
        if (!n.id().equals(self)) {
          neighbours.add(n);
        }
      }
      neighbours.sort(Comparator.comparing(Node::type).thenComparing(Node::id));
      int from = Math.min(offset, neighbours.size());
      int to = Math.min(from + limit, neighbours.size());
      List<Node> page = new ArrayList<>();
      if (start != null) {
        page.add(start);
      }
      page.addAll(neighbours.subList(from, to));
      Set<String> ids = new LinkedHashSet<>();
      page.forEach(n -> ids.add(n.id()));
      Set<Edge> edges = new LinkedHashSet<>();
      for (Edge e : up.edges) {
        if (ids.contains(e.from()) && ids.contains(e.to())) {
          edges.add(e);
        }
      }
      for (Edge e : down.edges) {
        if (ids.contains(e.from()) && ids.contains(e.to())) {
          edges.add(e);
        }
      }
      boolean more = to < neighbours.size() || up.truncated || down.truncated;
      return Optional.of(new LineageGraph(page, new ArrayList<>(edges), more));
    } catch (SQLException e) {
      throw new StoreException("neighbourhood query failed: " + e.getMessage(), e);
    }
  }

  private LineageGraph walk(
      Connection c,
      Viewer viewer,
      List<StartNode> start,
      Direction direction,
      boolean viaFork,
      int depth,
      int limit)
      throws SQLException {
    Walked walked = new Walked(direction);
    if (mode == Mode.LEVELS) {
      List<LevelWalk.Key> keys = new ArrayList<>();
      start.forEach(s -> keys.add(s.key()));
      // One more than asked for, so that a full answer and a cut one can be told apart.
      GraphCache g = cache;
      MemoryGraph graph = g == null ? null : g.current(c);
      new LevelWalk(
              dataSource, c, viewer, direction == Direction.UPSTREAM, viaFork, split, splits, graph)
          .run(keys, depth, limit + 1, walked);
    } else {
      boolean reference = mode == Mode.REFERENCE;
      try (PreparedStatement ps = c.prepareStatement(reference ? LINEAGE_SQL : GRAPH_SQL)) {
        bindWalk(
            ps, 1, c, viewer, start, direction == Direction.UPSTREAM, viaFork, depth, limit + 1);
        try (ResultSet rs = ps.executeQuery()) {
          if (reference) {
            while (rs.next()) {
              walked.add(rs);
            }
          } else {
            Graph graph = new Graph(walked);
            while (rs.next()) {
              graph.add(rs);
            }
          }
        }
      }
    }
    List<Node> nodes = new ArrayList<>(walked.nodes.values());
    boolean truncated = walked.truncated;
    if (nodes.size() > limit) {
      nodes = nodes.subList(0, limit);
      truncated = true;
    }
    Set<String> ids = new LinkedHashSet<>();
    nodes.forEach(n -> ids.add(n.id()));
    List<Edge> edges = new ArrayList<>();
    for (Edge e : walked.edges) {
      if (ids.contains(e.from()) && ids.contains(e.to())) {
        edges.add(e);
      }
    }
    return new LineageGraph(nodes, edges, truncated);
  }

  private static int bindWalk(
      PreparedStatement ps,
      int first,
      Connection c,
      Viewer viewer,
      List<StartNode> start,
      boolean upstream,
      boolean viaFork,
      int depth,
      int maxNodes)
      throws SQLException {
    int n = start.size();
    String[] k = new String[n];
    String[] host = new String[n];
    String[] fs = new String[n];
    Long[] id = new Long[n];
    String[] t = new String[n];
    String[] b = new String[n];
    for (int i = 0; i < n; i++) {
      StartNode s = start.get(i);
      k[i] = s.k;
      host[i] = s.host;
      fs[i] = s.fs;
      id[i] = s.id;
      t[i] = s.t;
      b[i] = s.b;
    }
    int i = first;
    ps.setArray(i++, c.createArrayOf("text", k));
    ps.setArray(i++, c.createArrayOf("text", host));
    ps.setArray(i++, c.createArrayOf("text", fs));
    ps.setArray(i++, c.createArrayOf("bigint", id));
    ps.setArray(i++, c.createArrayOf("text", t));
    ps.setArray(i++, c.createArrayOf("text", b));
    ps.setBoolean(i++, upstream);
    ps.setBoolean(i++, viaFork);
    ps.setInt(i++, depth);
    ps.setInt(i++, maxNodes);
    ps.setBoolean(i++, viewer.seesAll());
    ps.setArray(i++, c.createArrayOf("integer", viewer.uidArray()));
    ps.setArray(i++, c.createArrayOf("integer", viewer.gidArray()));
    return i;
  }

  /** Whether the viewer may see a node (the start of a walk). */
  static boolean visible(Connection c, Viewer viewer, NodeId node) throws SQLException {
    if (node instanceof NodeId.Process p) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT uid, gid FROM processes WHERE host = ? AND pid = ? AND start_time = ?")) {
        ps.setString(1, p.host());
        ps.setInt(2, p.pid());
        ps.setObject(3, OffsetDateTime.ofInstant(p.start(), ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          return viewer.sees((Integer) rs.getObject(1), (Integer) rs.getObject(2));
        }
      }
    }
    NodeId.FileVersion f = (NodeId.FileVersion) node;
    FileRef ref = new FileRef(f.host(), f.fs(), f.inode());
    if (!Files.exists(c, ref)) {
      return false;
    }
    if (f.versionTime() != null && !Files.versionTimes(c, ref).contains(f.versionTime())) {
      return false;
    }
    return Files.visible(c, viewer, ref);
  }

  /** A start node in the form the walk function takes. */
  private record StartNode(String k, String host, String fs, long id, String t, String b) {
    LevelWalk.Key key() {
      return new LevelWalk.Key(k, host, fs, id, keyTime(t), keyTime(b));
    }

    private static long keyTime(String t) {
      return switch (t) {
        case "-infinity" -> LevelWalk.MINUS_INFINITY;
        case "infinity" -> LevelWalk.INFINITY;
        default -> NodeId.micros(Instant.parse(t));
      };
    }

    static StartNode file(FileRef f, Instant version) {
      String t = version == null ? "-infinity" : version.toString();
      return new StartNode("f", f.host(), f.fs(), f.inode(), t, t);
    }

    static StartNode of(NodeId node, Direction direction) {
      if (node instanceof NodeId.Process p) {
        // A process's whole life: all its inputs upstream, all its outputs downstream.
        return new StartNode(
            "p",
            p.host(),
            "",
            p.pid(),
            p.start().toString(),
            direction == Direction.UPSTREAM ? "infinity" : "-infinity");
      }
      NodeId.FileVersion f = (NodeId.FileVersion) node;
      return file(new FileRef(f.host(), f.fs(), f.inode()), f.versionTime());
    }
  }

  /** Rows of one walk turned into nodes (first occurrence wins: the smallest depth) and edges. */
  static final class Walked {
    final Direction direction;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final Set<Edge> edges = new LinkedHashSet<>();
    boolean truncated;

    Walked(Direction direction) {
      this.direction = direction;
    }

    void add(ResultSet rs) throws SQLException {
      String kind = rs.getString(14);
      String id =
          id(rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), instant(rs, 7));
      if ("n".equals(rs.getString(1))) {
        if ("truncated".equals(kind)) {
          truncated = true;
        }
        if (!nodes.containsKey(id)) {
          nodes.put(id, node(rs, id));
        }
        return;
      }
      String from =
          id(rs.getString(8), rs.getString(9), rs.getString(10), rs.getLong(11), instant(rs, 12));
      String type = rs.getString(13);
      // The walk reports edges from the node nearer the start; PROV direction is effect to cause.
      edges.add(
          direction == Direction.UPSTREAM
              ? new Edge(from, id, type, kind)
              : new Edge(id, from, type, kind));
    }

    private static Node node(ResultSet rs, String id) throws SQLException {
      int depth = rs.getInt(2);
      String host = rs.getString(4);
      if ("p".equals(rs.getString(3))) {
        return new ProcessNode(
            id,
            "process",
            host,
            (int) rs.getLong(6),
            rs.getString(15),
            rs.getString(16),
            rs.getString(17),
            (Integer) rs.getObject(18),
            instant(rs, 7),
            instant(rs, 19),
            (Integer) rs.getObject(20),
            rs.getString(21),
            depth);
      }
      return new FileNode(
          id,
          "file",
          host,
          rs.getString(22),
          rs.getInt(23),
          instant(rs, 7),
          rs.getString(5),
          rs.getLong(6),
          (Long) rs.getObject(24),
          depth);
    }
  }

  /**
   * Rows of {@code lineage_graph} into a {@link Walked}: node rows come once per node, already in
   * walk order, and node times as microseconds since the epoch, so ids are built without parsing
   * timestamps (about 20,000 edge rows for a 10,000-node answer).
   */
  private static final class Graph {
    final Walked walked;

    Graph(Walked walked) {
      this.walked = walked;
    }

    void add(ResultSet rs) throws SQLException {
      String k = rs.getString(3);
      String host = rs.getString(4);
      String fs = rs.getString(5);
      long id = rs.getLong(6);
      Long us = (Long) rs.getObject(7);
      String text = idOfMicros(k, host, fs, id, us);
      String kind = rs.getString(14);
      if ("n".equals(rs.getString(1))) {
        if ("truncated".equals(kind)) {
          walked.truncated = true;
        }
        walked.nodes.putIfAbsent(text, node(rs, text, k, host, fs, id, us));
        return;
      }
      String from =
          idOfMicros(
              rs.getString(8),
              rs.getString(9),
              rs.getString(10),
              rs.getLong(11),
              (Long) rs.getObject(12));
      String type = rs.getString(13);
      walked.edges.add(
          walked.direction == Direction.UPSTREAM
              ? new Edge(from, text, type, kind)
              : new Edge(text, from, type, kind));
    }

    private static Node node(
        ResultSet rs, String text, String k, String host, String fs, long id, Long us)
        throws SQLException {
      int depth = rs.getInt(2);
      Instant t = us == null ? null : NodeId.fromMicros(us);
      if ("p".equals(k)) {
        return new ProcessNode(
            text,
            "process",
            host,
            (int) id,
            rs.getString(15),
            rs.getString(16),
            rs.getString(17),
            (Integer) rs.getObject(18),
            t,
            instant(rs, 19),
            (Integer) rs.getObject(20),
            rs.getString(21),
            depth);
      }
      return new FileNode(
          text,
          "file",
          host,
          rs.getString(22),
          rs.getInt(23),
          t,
          fs,
          id,
          (Long) rs.getObject(24),
          depth);
    }
  }

  /** The text form of a node id (as {@link NodeId#text()}) from its time in microseconds. */
  static String idOfMicros(String k, String host, String fs, long id, Long us) {
    return "p".equals(k)
        ? "p:" + host + ":" + id + ":" + us
        : "f:" + host + ":" + id + ":" + (us == null ? "-" : us.toString()) + ":" + fs;
  }

  static String id(String k, String host, String fs, long id, Instant t) {
    return "p".equals(k)
        ? new NodeId.Process(host, (int) id, t).text()
        : new NodeId.FileVersion(host, fs, id, t).text();
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
