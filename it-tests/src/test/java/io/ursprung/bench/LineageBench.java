package io.ursprung.bench;

import io.ursprung.db.Database;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.GraphCache;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.lineage.LineageEquivalence;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.NodeId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The lineage benchmark: builds (or reuses) a synthetic graph of more than 10 million edges in the
 * database {@code ursprung_bench} (resource {@code bench/lineage-graph.sql}) and prints p50, p95
 * and p99 of upstream lineage at depth 10 with limit 10,000 and of one-hop neighbourhoods, measured
 * through the same service the REST API calls.
 *
 * <p>Run: {@code mvn -pl it-tests test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.ursprung.bench.LineageBench}. Server: {@code URSPRUNG_TEST_JDBC_URL} (the
 * maintenance database, default {@code jdbc:postgresql://127.0.0.1:5432/postgres}) and {@code
 * URSPRUNG_TEST_JDBC_USER}. The service runs as the backend runs it: with the lineage cache ({@code
 * GraphCache}; the server needs {@code wal_level = logical}), whose load time and heap are printed
 * first; {@code --no-cache} times the SQL walk alone. {@code --drop} drops the database afterwards;
 * {@code --compare} also times the SQL level walk against the cached walk on the same starts,
 * alternating. {@code -Dbench.database=NAME} uses another database than {@code ursprung_bench}
 * (e.g. a copy made with {@code CREATE DATABASE ... TEMPLATE ursprung_bench}, to time a schema
 * change against the original); {@code --no-migrate} leaves its schema as it is instead of applying
 * pending migrations. {@code -Dbench.against=OTHER} also times the same queries on the database
 * OTHER (holding the same graph, its schema left as it is), alternating with this one on the same
 * starts, and checks that every pair of answers is equal.
 */
public final class LineageBench {

  private LineageBench() {}

  public static void main(String[] args) throws Exception {
    String admin =
        System.getenv()
            .getOrDefault("URSPRUNG_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String user = System.getenv().getOrDefault("URSPRUNG_TEST_JDBC_USER", "postgres");
    String password = System.getenv("URSPRUNG_TEST_JDBC_PASSWORD");
    String name = System.getProperty("bench.database", "ursprung_bench");
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("bench.database: not a plain identifier: " + name);
    }
    String url = admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    try (Connection c = DriverManager.getConnection(admin, user, password);
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
      }
    }
    try (Database db = Database.open(url, user, password, "bench", 4)) {
      if (!Arrays.asList(args).contains("--no-migrate")) {
        db.migrate();
      }
      long processes = count(db, "SELECT count(*) FROM processes");
      if (processes == 0) {
        String sql;
        try (InputStream in = LineageBench.class.getResourceAsStream("/bench/lineage-graph.sql")) {
          sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long t = System.nanoTime();
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement()) {
          s.execute(sql);
        }
        System.out.printf("generated the graph in %.1f s%n", (System.nanoTime() - t) / 1e9);
      } else {
        System.out.println("reusing the graph in " + name);
      }
      long edges =
          count(db, "SELECT count(*) FROM used")
              + count(db, "SELECT count(*) FROM file_versions WHERE pid IS NOT NULL")
              + count(db, "SELECT count(*) FROM was_informed_by");
      System.out.printf(
          "graph: %,d processes, %,d edges%n", count(db, "SELECT count(*) FROM processes"), edges);

      JdbcLineageService sql = new JdbcLineageService(db.dataSource());
      GraphCache cache = null;
      if (!Arrays.asList(args).contains("--no-cache")) {
        // The service as the backend runs it: hops over the in-memory graph once it is loaded.
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long t = System.nanoTime();
        cache = new GraphCache(url, user, password, Duration.ofSeconds(5)).start();
        while (!"ready".equals(cache.state())) {
          if (cache.state().startsWith("off")) {
            throw new IllegalStateException("lineage cache: " + cache.state());
          }
          Thread.sleep(100);
        }
        System.gc();
        System.out.printf(
            "lineage cache loaded in %.1f s, heap %,d MB more%n",
            (System.nanoTime() - t) / 1e9, (rt.totalMemory() - rt.freeMemory() - heapBefore) >> 20);
      }
      JdbcLineageService lineage =
          cache == null ? sql : new JdbcLineageService(db.dataSource()).withCache(cache);
      Viewer all = new Viewer(0, "bench", Role.ADMIN, Set.of(), Set.of());
      // A viewer who sees the uids of the 100 big pipelines (50 uids, all of them): the filtered
      // path of the walk, which is what ordinary users take.
      List<Integer> uids = new ArrayList<>();
      for (int u = 1000; u < 1050; u++) {
        uids.add(u);
      }
      Viewer viewer = new Viewer(1, "viewer", Role.VIEWER, Set.copyOf(uids), Set.of());

      // Warm the caches the way a running server is warm.
      for (int i = 0; i < 10; i++) {
        upstreamBig(lineage, all, i % 100);
        upstreamChain(lineage, all, i);
      }
      report("upstream, big pipelines (admin)", 60, i -> () -> upstreamBig(lineage, all, i % 100));
      report(
          "upstream, big pipelines (viewer)",
          200,
          i -> () -> upstreamBig(lineage, viewer, i % 100));
      report("upstream, one chain (admin)", 500, i -> () -> upstreamChain(lineage, all, i));
      List<NodeId.Process> sample = processes(db);
      report(
          "neighbourhood, one hop (admin)",
          500,
          i ->
              () ->
                  lineage.neighbourhood(all, sample.get(i % sample.size()), 0, 100).orElseThrow());
      if (Arrays.asList(args).contains("--compare") && cache != null) {
        // Before and after in one run: the level walk in SQL and the same walk hopping over the
        // in-memory graph alternate on the same starts, alternating which goes first; every pair
        // of answers must be the same.
        compare(
            "upstream, big pipelines (admin)",
            60,
            (s, i) -> upstreamBig(s, all, i % 100),
            "SQL",
            sql,
            "memory",
            lineage);
        compare(
            "upstream, big pipelines (viewer)",
            60,
            (s, i) -> upstreamBig(s, viewer, i % 100),
            "SQL",
            sql,
            "memory",
            lineage);
        compare(
            "upstream, one chain (admin)",
            300,
            (s, i) -> upstreamChain(s, all, i),
            "SQL",
            sql,
            "memory",
            lineage);
      }
      if (cache != null) {
        System.out.printf(
            "walks from memory %,d, in SQL %,d (cache %s)%n",
            cache.walksFromMemory(), cache.walksFromSql(), cache.state());
        cache.close();
      }
      String against = System.getProperty("bench.against");
      if (against != null) {
        // The same service on two databases holding the same graph, e.g. the original and a copy
        // with a schema change applied: alternating on the same starts, answers must be equal.
        if (!against.matches("[a-z_][a-z0-9_]*")) {
          throw new IllegalArgumentException("bench.against: not a plain identifier: " + against);
        }
        String otherUrl = admin.substring(0, admin.lastIndexOf('/') + 1) + against;
        try (Database other = Database.open(otherUrl, user, password, "bench-against", 4)) {
          JdbcLineageService before = new JdbcLineageService(other.dataSource());
          for (int i = 0; i < 10; i++) {
            upstreamBig(before, all, i % 100);
            upstreamChain(before, all, i);
          }
          compare(
              "upstream, big pipelines (admin)",
              60,
              (s, i) -> upstreamBig(s, all, i % 100),
              against,
              before,
              name,
              lineage);
          compare(
              "upstream, big pipelines (viewer)",
              60,
              (s, i) -> upstreamBig(s, viewer, i % 100),
              against,
              before,
              name,
              lineage);
          compare(
              "upstream, one chain (admin)",
              300,
              (s, i) -> upstreamChain(s, all, i),
              against,
              before,
              name,
              lineage);
          compare(
              "neighbourhood, one hop (admin)",
              300,
              (s, i) -> s.neighbourhood(all, sample.get(i % sample.size()), 0, 100).orElseThrow(),
              against,
              before,
              name,
              lineage);
        }
      }
    }
    if (Arrays.asList(args).contains("--drop")) {
      try (Connection c = DriverManager.getConnection(admin, user, password);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + name + " WITH (FORCE)");
      }
    }
  }

  static LineageGraph upstreamBig(JdbcLineageService l, Viewer v, int pipeline) {
    return l.fromFile(
            v,
            "node" + (pipeline % 32),
            "/data/run" + pipeline + "/result",
            null,
            Direction.UPSTREAM,
            10,
            10_000)
        .orElseThrow();
  }

  static LineageGraph upstreamChain(JdbcLineageService l, Viewer v, int i) {
    int c = 100_000 + (int) ((i * 7919L) % 90_000);
    int pipeline = 100 + (c - 100_000) / 4;
    return l.fromFile(
            v,
            "node" + (pipeline % 32),
            "/data/run" + pipeline + "/c" + c + "/s9",
            null,
            Direction.UPSTREAM,
            10,
            10_000)
        .orElseThrow();
  }

  interface Sample {
    Supplier<LineageGraph> at(int i);
  }

  interface Query {
    LineageGraph run(JdbcLineageService service, int i);
  }

  static void compare(
      String name,
      int n,
      Query q,
      String beforeLabel,
      JdbcLineageService before,
      String afterLabel,
      JdbcLineageService after) {
    long[] old = new long[n];
    long[] now = new long[n];
    String load = load();
    for (int i = 0; i < n; i++) {
      LineageGraph a;
      LineageGraph b;
      if (i % 2 == 0) {
        long t = System.nanoTime();
        a = q.run(before, i);
        long t1 = System.nanoTime();
        b = q.run(after, i);
        old[i] = t1 - t;
        now[i] = System.nanoTime() - t1;
      } else {
        long t = System.nanoTime();
        b = q.run(after, i);
        long t1 = System.nanoTime();
        a = q.run(before, i);
        now[i] = t1 - t;
        old[i] = System.nanoTime() - t1;
      }
      if (!LineageEquivalence.same(a, b)) {
        throw new IllegalStateException(name + ": the answers differ at " + i);
      }
    }
    System.out.printf(
        "%-34s n=%d  %s %s  |  %s %s  (load %s -> %s, answers equal)%n",
        name, n, beforeLabel, percentiles(old), afterLabel, percentiles(now), load, load());
  }

  static String percentiles(long[] ns) {
    long[] ms = ns.clone();
    Arrays.sort(ms);
    int n = ms.length;
    return String.format(
        "p50 %6.1f p95 %6.1f p99 %6.1f ms",
        ms[n / 2] / 1e6,
        ms[(int) Math.ceil(n * 0.95) - 1] / 1e6,
        ms[(int) Math.ceil(n * 0.99) - 1] / 1e6);
  }

  /** The 1-minute load average, printed beside the figures (the machine is shared). */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  static void report(String name, int n, Sample sample) {
    long[] ms = new long[n];
    long nodes = 0;
    long edges = 0;
    int truncated = 0;
    String load = load();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      LineageGraph g = sample.at(i).get();
      ms[i] = System.nanoTime() - t;
      nodes += g.nodes().size();
      edges += g.edges().size();
      truncated += g.truncated() ? 1 : 0;
    }
    Arrays.sort(ms);
    System.out.printf(
        "%-34s n=%d  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (avg %,d nodes, %,d edges,"
            + " %d truncated, load %s -> %s)%n",
        name,
        n,
        ms[n / 2] / 1e6,
        ms[(int) Math.ceil(n * 0.95) - 1] / 1e6,
        ms[(int) Math.ceil(n * 0.99) - 1] / 1e6,
        nodes / n,
        edges / n,
        truncated,
        load,
        load());
  }

  static List<NodeId.Process> processes(Database db) throws SQLException {
    List<NodeId.Process> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT host, pid, start_time FROM processes WHERE pid % 3797 = 0"
                    + " ORDER BY pid LIMIT 500")) {
      while (rs.next()) {
        out.add(
            new NodeId.Process(
                rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant()));
      }
    }
    return out;
  }

  static long count(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
