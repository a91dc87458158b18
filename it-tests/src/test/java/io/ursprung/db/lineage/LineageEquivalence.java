package io.ursprung.db.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Compares {@link JdbcLineageService}'s answers ({@link LevelWalk}) with those of the statement
 * over {@code lineage_walk} (V70) that {@code lineage_graph} (V71) and then it replaced, from every
 * process, file version and path of a graph: both directions, admin and viewers, answers cut by the
 * node cap and whole ones.
 */
public final class LineageEquivalence {

  /** What a comparison covered. */
  public record Covered(int answers, int truncated, int largest) {}

  private LineageEquivalence() {}

  /** The service answering with the V70 statement (for comparisons, e.g. in the benchmark). */
  public static JdbcLineageService reference(DataSource ds) {
    return JdbcLineageService.reference(ds);
  }

  /** The service answering with one call of {@code lineage_graph} (V71), for comparisons. */
  public static JdbcLineageService function(DataSource ds) {
    return JdbcLineageService.function(ds);
  }

  /**
   * Whether two answers are the same as {@link #compareAll} compares them: start nodes in any
   * order, the other nodes in order, the same edges in any order.
   */
  public static boolean same(LineageGraph a, LineageGraph b) {
    return a.truncated() == b.truncated()
        && new HashSet<>(starts(a, true)).equals(new HashSet<>(starts(b, true)))
        && starts(a, false).equals(starts(b, false))
        && a.edges().size() == b.edges().size()
        && new HashSet<>(a.edges()).equals(new HashSet<>(b.edges()));
  }

  /**
   * Asserts equal answers from every start of the graph in {@code ds}, from the service as it runs
   * (levels of 400 nodes or more split over two connections).
   */
  public static Covered compareAll(DataSource ds) throws SQLException {
    return compareAll(ds, false);
  }

  /**
   * As {@link #compareAll(DataSource)}; with {@code split}, every frontier of two or more nodes is
   * split over two connections (two statements on one snapshot), so that the split path is what is
   * compared, and the comparison fails if no walk was split.
   */
  public static Covered compareAll(DataSource ds, boolean split) throws SQLException {
    JdbcLineageService now =
        split ? JdbcLineageService.splitting(ds, 2) : new JdbcLineageService(ds);
    Covered covered = compareAll(ds, now);
    if (split && now.splitSteps() == 0) {
      throw new AssertionError("no walk ran on two connections; the split path was not compared");
    }
    return covered;
  }

  /** As {@link #compareAll(DataSource)}, for the answers of {@code now}. */
  public static Covered compareAll(DataSource ds, JdbcLineageService now) throws SQLException {
    JdbcLineageService before = JdbcLineageService.reference(ds);
    List<Viewer> viewers =
        List.of(
            new Viewer(0, "admin", Role.ADMIN, Set.of(), Set.of()),
            new Viewer(1, "one", Role.VIEWER, Set.of(1001), Set.of()),
            new Viewer(2, "two", Role.VIEWER, Set.of(1000, 1002), Set.of(200)),
            new Viewer(3, "group", Role.VIEWER, Set.of(), Set.of(100, 1001)));
    int[][] caps = {{2, 10_000}, {30, 9}, {30, 10_000}};
    List<NodeId> starts = new ArrayList<>();
    List<String[]> paths = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT host, pid, start_time FROM processes ORDER BY host, pid, start_time")) {
        while (rs.next()) {
          starts.add(new NodeId.Process(rs.getString(1), rs.getInt(2), time(rs, 3)));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT DISTINCT host, fs, inode, version_time FROM file_versions"
                  + " UNION SELECT DISTINCT file_host, fs, inode, NULL::timestamptz FROM used"
                  + " ORDER BY 1, 2, 3, 4")) {
        while (rs.next()) {
          starts.add(
              new NodeId.FileVersion(rs.getString(1), rs.getString(2), rs.getLong(3), time(rs, 4)));
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT DISTINCT host, path FROM file_names ORDER BY 1, 2")) {
        while (rs.next()) {
          paths.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    int n = 0;
    int truncated = 0;
    int largest = 0;
    for (Viewer v : viewers) {
      for (Direction d : Direction.values()) {
        for (int[] cap : caps) {
          for (NodeId start : starts) {
            Optional<LineageGraph> a = before.fromNode(v, start, d, cap[0], cap[1]);
            same(
                start + " " + d + " " + v.name() + " " + cap[0] + "/" + cap[1],
                a,
                now.fromNode(v, start, d, cap[0], cap[1]));
            n++;
            if (a.isPresent()) {
              truncated += a.get().truncated() ? 1 : 0;
              largest = Math.max(largest, a.get().nodes().size());
            }
          }
          for (String[] p : paths) {
            for (Integer version : new Integer[] {null, 0, 1, 2}) {
              same(
                  p[0] + ":" + p[1] + "@" + version + " " + d + " " + v.name() + " " + cap[0] + "/"
                      + cap[1],
                  before.fromFile(v, p[0], p[1], version, d, cap[0], cap[1]),
                  now.fromFile(v, p[0], p[1], version, d, cap[0], cap[1]));
              n++;
            }
          }
        }
      }
    }
    return new Covered(n, truncated, largest);
  }

  private static void same(String what, Optional<LineageGraph> before, Optional<LineageGraph> now) {
    assertEquals(before.isPresent(), now.isPresent(), what);
    if (before.isEmpty()) {
      return;
    }
    LineageGraph a = before.get();
    LineageGraph b = now.get();
    assertEquals(a.truncated(), b.truncated(), what + ": truncated");
    // The start nodes (depth 0: every version of a file, for a downstream walk from its path) in
    // any order: the V70 and V71 statements listed them in the order of their DISTINCT's hash
    // table, the service in the order given (oldest version first). Every later level's nodes
    // are in the walk's sorted order, compared as such.
    assertEquals(
        new HashSet<>(starts(a, true)), new HashSet<>(starts(b, true)), what + ": start nodes");
    assertEquals(starts(a, false), starts(b, false), what + ": nodes");
    // The same edges; their order within a level was the plan's in the statements compared with,
    // so it is not compared.
    assertEquals(a.edges().size(), b.edges().size(), what + ": edge count");
    assertEquals(new HashSet<>(a.edges()), new HashSet<>(b.edges()), what + ": edges");
  }

  private static List<Node> starts(LineageGraph g, boolean start) {
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      if ((n.depth() == 0) == start) {
        nodes.add(n);
      }
    }
    return nodes;
  }

  private static Instant time(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
