package io.ursprung.db.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-memory lineage graph ({@link GraphCache}) against the V70 reference statement, on the
 * generated graphs of {@link LineageGraphEquivalenceIT}: rows that arrive through the replication
 * stream, rows loaded from a snapshot, updates (Spectrum Scale reads and versions attached to their
 * process, a read moved to another process, changed credentials) applied in place, and a delete and
 * a truncate, which make the cache load again. Every walk must have come from memory, and every
 * answer must be the reference's.
 */
@ExtendWith(PostgresExtension.class)
class LineageCacheIT {

  @Test
  void walksFromMemoryGiveTheReferenceAnswers(TestDatabase db) throws Exception {
    String walLevel = setting(db, "wal_level");
    assumeTrue(
        "logical".equals(walLevel),
        "the server's wal_level is "
            + walLevel
            + ", not logical: the lineage cache cannot follow it");
    try (GraphCache cache =
        new GraphCache(db.jdbcUrl(), db.user(), db.password(), Duration.ofSeconds(30)).start()) {
      JdbcLineageService now = new JdbcLineageService(db.dataSource()).withCache(cache);
      caughtUp(db, cache);
      long loadsBefore = cache.loads();

      // Seed 1 after the cache loaded its (empty) graph: the truncate at its start makes it load
      // again.
      LineageGraphEquivalenceIT.generate(db, 1);
      caughtUp(db, cache);
      assertTrue(cache.loads() > loadsBefore, "the truncate did not make the cache load again");

      // A copy of the whole graph under other host names, inserted while the cache follows: these
      // rows reach it through the stream only. The versions come last, after the reads of them,
      // so that each one changes which version earlier-stored reads saw.
      long loads = cache.loads();
      for (String[] t :
          new String[][] {
            {"processes", "'host', 'c' || x.host"},
            {"files", "'host', 'c' || x.host"},
            {"file_names", "'host', 'c' || x.host, 'proc_host', 'c' || x.proc_host"},
            {"used", "'host', 'c' || x.host, 'file_host', 'c' || x.file_host"},
            {"was_informed_by", "'host', 'c' || x.host"},
            {"file_versions", "'host', 'c' || x.host, 'proc_host', 'c' || x.proc_host"}
          }) {
        exec(
            db,
            "INSERT INTO "
                + t[0]
                + " SELECT (jsonb_populate_record(x, jsonb_build_object("
                + t[1]
                + "))).* FROM "
                + t[0]
                + " x");
      }
      compare(db, cache, now);
      assertEquals(loads, cache.loads(), "inserts made the cache load everything again");

      // In-place updates: no new load, same answers as the reference on the changed store.
      exec(
          db,
          "UPDATE used u SET pid = p.pid, start_time = p.start_time, source = 'auditd'"
              + " FROM (SELECT DISTINCT ON (host) host, pid, start_time FROM processes"
              + "  ORDER BY host, pid DESC) p WHERE u.source = 'scale' AND p.host = u.host");
      exec(
          db,
          "UPDATE file_versions v SET proc_host = p.host, pid = p.pid, start_time = p.start_time,"
              + " source = 'auditd' FROM (SELECT host, pid, start_time FROM processes"
              + "  ORDER BY pid DESC LIMIT 1) p WHERE v.source = 'scale'");
      exec(
          db,
          "UPDATE used u SET pid = p.pid, start_time = p.start_time"
              + " FROM (SELECT DISTINCT ON (host) host, pid, start_time FROM processes"
              + "  ORDER BY host, pid) p WHERE p.host = u.host AND u.ctid IN"
              + "  (SELECT ctid FROM used WHERE pid IS NOT NULL ORDER BY event_id LIMIT 25)");
      exec(db, "UPDATE processes SET uid = 1001, gid = 300 WHERE pid % 5 = 0");
      // argv with NULL elements (array_to_string leaves them out), and a long argv stored out of
      // line: an update that does not change it sends it as "unchanged".
      exec(db, "UPDATE processes SET argv = ARRAY['tool', NULL, '-x'] WHERE pid % 7 = 0");
      exec(
          db,
          "UPDATE processes SET argv = ARRAY['tool', (SELECT string_agg(md5(i::text), '')"
              + " FROM generate_series(1, 300) i)], cwd = NULL WHERE pid % 11 = 0");
      exec(db, "UPDATE processes SET exit_code = 3, end_time = start_time WHERE pid % 11 = 0");
      assertTrue(count(db, "SELECT count(*) FROM used WHERE source = 'scale'") == 0);
      compare(db, cache, now);
      assertEquals(loads, cache.loads(), "an update made the cache load everything again");

      // A deleted edge cannot be found from its key alone: the cache loads again.
      exec(db, "DELETE FROM used WHERE ctid IN (SELECT ctid FROM used ORDER BY event_id LIMIT 10)");
      compare(db, cache, now);
      assertTrue(cache.loads() > loads, "a delete did not make the cache load again");
    }
  }

  private static void compare(TestDatabase db, GraphCache cache, JdbcLineageService now)
      throws Exception {
    caughtUp(db, cache);
    long fromSql = cache.walksFromSql();
    long fromMemory = cache.walksFromMemory();
    LineageEquivalence.Covered covered = LineageEquivalence.compareAll(db.dataSource(), now);
    assertEquals(fromSql, cache.walksFromSql(), "walks ran in SQL: " + cache.state());
    assertTrue(cache.walksFromMemory() - fromMemory > 1000, "few walks from memory: " + covered);
    assertTrue(covered.truncated() > 100, "few cut answers: " + covered);
  }

  /** Waits until the cache is caught up with everything committed so far. */
  private static void caughtUp(TestDatabase db, GraphCache cache) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    try (Connection c = db.dataSource().getConnection()) {
      while (cache.current(c) == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the lineage cache did not catch up: " + cache.state());
        }
        Thread.sleep(50);
      }
    }
  }

  private static String setting(TestDatabase db, String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void exec(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
