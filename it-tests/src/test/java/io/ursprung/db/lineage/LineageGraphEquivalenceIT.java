package io.ursprung.db.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.db.Database;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link JdbcLineageService}'s level-by-level walk ({@link LevelWalk}, every frontier of two or
 * more nodes split over two connections) gives the same answers as the statement over {@code
 * lineage_walk} (V70) that {@code lineage_graph} (V71) and then it replaced, on generated graphs
 * with renames, pipes, sockets, forks, executables, late and missing versions, unattached reads,
 * several hosts, uids and gids: every file version and process as a start, both directions, admins
 * and viewers, answers cut by the node cap and whole ones (see {@link LineageEquivalence}; the
 * etl-bob capture is compared, with the service's own split, in {@code EtlBobGraphIT}).
 */
@ExtendWith(PostgresExtension.class)
class LineageGraphEquivalenceIT {

  static final Instant BASE = Instant.parse("2026-03-01T08:00:00Z");
  static final String[] HOSTS = {"g0", "g1"};

  @Test
  void generatedGraphsGiveTheSameAnswers(TestDatabase db) throws Exception {
    for (long seed = 1; seed <= 2; seed++) {
      generate(db, seed);
      LineageEquivalence.Covered covered = LineageEquivalence.compareAll(db.dataSource(), true);
      assertTrue(covered.answers() > 1000, "compared only " + covered);
      assertTrue(covered.truncated() > 100, "few cut answers: " + covered);
      assertTrue(covered.largest() >= 30, "only small answers: " + covered);
    }
  }

  /**
   * Walks from many threads on a pool smaller than the number of threads, each walk splitting its
   * levels over a second connection when one is idle: every walk finishes (no walk holding a
   * connection waits for a second one that only another such walk could give back) and every answer
   * is the one the reference statement gives.
   */
  @Test
  void concurrentWalksOnASmallPoolGiveTheSameAnswers(TestDatabase db) throws Exception {
    generate(db, 3);
    Viewer admin = new Viewer(0, "admin", Role.ADMIN, Set.of(), Set.of());
    List<NodeId> starts = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT host, pid, start_time FROM processes ORDER BY host, pid, start_time")) {
      while (rs.next()) {
        starts.add(
            new NodeId.Process(
                rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant()));
      }
    }
    JdbcLineageService reference = JdbcLineageService.reference(db.dataSource());
    Map<String, LineageGraph> expected = new HashMap<>();
    for (NodeId start : starts) {
      for (Direction d : Direction.values()) {
        expected.put(
            start.text() + " " + d, reference.fromNode(admin, start, d, 30, 10_000).orElseThrow());
      }
    }
    int threads = 6;
    try (Database small =
        Database.open(db.jdbcUrl(), db.user(), db.password(), "it-lineage-small-pool", 3)) {
      JdbcLineageService walks = JdbcLineageService.splitting(small.dataSource(), 2);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int offset = t;
          done.add(
              pool.submit(
                  () -> {
                    int compared = 0;
                    for (int round = 0; round < 3; round++) {
                      for (int i = 0; i < starts.size(); i++) {
                        NodeId start = starts.get((i + offset * 7) % starts.size());
                        Direction d = Direction.values()[(i + offset + round) % 2];
                        LineageGraph got =
                            walks.fromNode(admin, start, d, 30, 10_000).orElseThrow();
                        LineageGraph want = expected.get(start.text() + " " + d);
                        if (!LineageEquivalence.same(want, got)) {
                          throw new AssertionError("different answer from " + start + " " + d);
                        }
                        compared++;
                      }
                    }
                    return compared;
                  }));
        }
        int compared = 0;
        for (Future<Integer> f : done) {
          compared += f.get(10, TimeUnit.MINUTES);
        }
        assertEquals(threads * 3 * starts.size(), compared);
      } finally {
        pool.shutdownNow();
      }
      assertTrue(walks.splitSteps() > 0, "no walk ran on two connections");
    }
  }

  /**
   * A deterministic random graph (replacing the previous one): processes on two hosts with forks,
   * pipes and sockets between them, files with several versions (some made by renames, some written
   * before the process that reads them started, some with no writer), reads and executions before
   * and after versions, reads of a shared cluster's files, and reads not yet attached to a process.
   */
  static void generate(TestDatabase db, long seed) throws SQLException {
    Random r = new Random(seed);
    try (Connection c = db.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("TRUNCATE processes, file_versions, file_names, used, was_informed_by, files");
      }
      int processes = 160;
      List<Object[]> procs = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO processes (host, pid, start_time, uid, gid, user_name, cwd, exe, argv,"
                  + " end_time, exit_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < processes; i++) {
          String host = HOSTS[r.nextInt(HOSTS.length)];
          Instant start = BASE.plusMillis(i * 1000L + r.nextInt(900));
          int uid = 1000 + r.nextInt(3);
          int gid = r.nextBoolean() ? 100 : 200;
          ps.setString(1, host);
          ps.setInt(2, 100 + i);
          ps.setObject(3, odt(start));
          ps.setInt(4, uid);
          ps.setInt(5, gid);
          ps.setString(6, r.nextInt(5) == 0 ? null : "u" + uid);
          ps.setString(7, "/work/" + i);
          ps.setString(8, "/usr/bin/tool" + r.nextInt(4));
          ps.setArray(9, c.createArrayOf("text", new String[] {"tool", "-n", "" + i}));
          ps.setObject(10, r.nextInt(4) == 0 ? null : odt(start.plusSeconds(30)));
          ps.setObject(11, r.nextInt(4) == 0 ? null : r.nextInt(3));
          ps.addBatch();
          procs.add(new Object[] {host, 100 + i, start});
        }
        ps.executeBatch();
      }
      int files = 70;
      String[] fileHost = new String[files];
      String[] fileFs = new String[files];
      for (int f = 0; f < files; f++) {
        fileHost[f] = f % 10 == 9 ? "cluster" : HOSTS[r.nextInt(HOSTS.length)];
        fileFs[f] = f % 7 == 3 ? "8:2" : "8:1";
      }
      int event = 0;
      try (PreparedStatement v =
              c.prepareStatement(
                  "INSERT INTO file_versions (host, event_id, fs, inode, version_time, cause, path,"
                      + " size, proc_host, pid, start_time, source)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement n =
              c.prepareStatement(
                  "INSERT INTO file_names (host, event_id, path, op, fs, inode, time)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (int f = 0; f < files; f++) {
          int versions = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(3);
          if (versions == 0 || r.nextBoolean()) {
            n.setString(1, fileHost[f]);
            n.setString(2, "n" + event++);
            n.setString(3, "/data/f" + f);
            n.setString(4, "open");
            n.setString(5, fileFs[f]);
            n.setLong(6, 1000 + f);
            n.setObject(7, odt(BASE.minusSeconds(60)));
            n.addBatch();
          }
          for (int k = 0; k < versions; k++) {
            Object[] writer = procs.get(r.nextInt(processes));
            Instant t = ((Instant) writer[2]).plusMillis(1 + r.nextInt(20_000));
            String cause =
                k > 0 && r.nextInt(4) == 0 ? "rename" : r.nextBoolean() ? "write" : "create";
            boolean attached = r.nextInt(6) != 0;
            String path = cause.equals("rename") ? "/data/renamed" + f : "/data/f" + f;
            v.setString(1, fileHost[f]);
            v.setString(2, "v" + event++);
            v.setString(3, fileFs[f]);
            v.setLong(4, 1000 + f);
            v.setObject(5, odt(t));
            v.setString(6, cause);
            v.setString(7, r.nextInt(5) == 0 ? null : path);
            v.setObject(8, r.nextInt(3) == 0 ? null : (long) r.nextInt(10_000));
            v.setString(9, attached ? (String) writer[0] : null);
            v.setObject(10, attached ? writer[1] : null);
            v.setObject(11, attached ? odt((Instant) writer[2]) : null);
            v.setString(12, attached ? "auditd" : "scale");
            v.addBatch();
            n.setString(1, fileHost[f]);
            n.setString(2, "n" + event++);
            n.setString(3, path);
            n.setString(4, cause.equals("rename") ? "rename-to" : "create");
            n.setString(5, fileFs[f]);
            n.setLong(6, 1000 + f);
            n.setObject(7, odt(t));
            n.addBatch();
          }
        }
        v.executeBatch();
        n.executeBatch();
      }
      try (PreparedStatement u =
              c.prepareStatement(
                  "INSERT INTO used (host, event_id, kind, pid, start_time, time, file_host, fs,"
                      + " inode, path, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement w =
              c.prepareStatement(
                  "INSERT INTO was_informed_by (host, event_id, kind, pid, start_time,"
                      + " informant_pid, informant_start, time, channel)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < processes; i++) {
          Object[] p = procs.get(i);
          int reads = r.nextInt(6);
          for (int k = 0; k < reads; k++) {
            int f = r.nextInt(files);
            boolean attached = r.nextInt(8) != 0;
            u.setString(1, (String) p[0]);
            u.setString(2, "u" + event++);
            u.setString(3, r.nextInt(4) == 0 ? "exec" : "read");
            u.setObject(4, attached ? p[1] : null);
            u.setObject(5, attached ? odt((Instant) p[2]) : null);
            u.setObject(6, odt(((Instant) p[2]).plusMillis(r.nextInt(25_000))));
            u.setString(7, fileHost[f]);
            u.setString(8, fileFs[f]);
            u.setLong(9, 1000 + f);
            u.setString(10, r.nextInt(4) == 0 ? null : "/data/f" + f);
            u.setString(11, attached ? "auditd" : "scale");
            u.addBatch();
          }
          int informants = i == 0 ? 0 : r.nextInt(4);
          for (int k = 0; k < informants; k++) {
            Object[] q = procs.get(r.nextInt(i));
            String kind = k == 0 ? "fork" : r.nextBoolean() ? "pipe" : "socket";
            w.setString(1, (String) p[0]);
            w.setString(2, "w" + event++);
            w.setString(3, kind);
            w.setInt(4, (Integer) p[1]);
            w.setObject(5, odt((Instant) p[2]));
            w.setInt(6, (Integer) q[1]);
            w.setObject(7, odt((Instant) q[2]));
            w.setObject(
                8,
                odt(
                    kind.equals("fork")
                        ? (Instant) p[2]
                        : ((Instant) p[2]).plusMillis(r.nextInt(25_000))));
            w.setString(9, kind.equals("fork") ? null : kind + ":" + k);
            w.addBatch();
          }
        }
        u.executeBatch();
        w.executeBatch();
      }
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
    }
  }

  static OffsetDateTime odt(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
