package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.graph.Rows;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every graph table is written in binary COPY format: each column type the store writes (text,
 * integer, bigint, timestamptz, text[], jsonb) must arrive as the value meant, with the values text
 * COPY had to escape or could not hold, on the direct way and through staging, with the data made
 * ahead ({@link GraphStore#prepare}) or as it is sent.
 */
@ExtendWith(PostgresExtension.class)
class BinaryCopyIT {
  static final String HOST = "bin01";
  // What text COPY escaped (tab, newline, carriage return, backslash), array syntax (comma,
  // quote, braces, blank), non-ASCII, and a NUL, which PostgreSQL text cannot hold.
  static final String AWKWARD = "/d/tab\there\nnl\rcr\\bs \"q\",{b} Ünï ✓ nul\0end";
  static final String STORED = AWKWARD.replace('\0', '\uFFFD');
  static final Instant START = Instant.parse("1999-12-31T23:59:59.000500Z");
  // Below a microsecond: PostgreSQL keeps microseconds, rounded half to even.
  static final Instant TIME = Instant.parse("2026-11-20T10:00:00.123456500Z");

  @Test
  void everyColumnTypeArrivesAsMeant(TestDatabase db) throws Exception {
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    store.write(batch("a", 100));
    // The second batch holds the first's archive row again, so the store takes the staging way
    // for all of it; its data is made ahead, as the pipelined consumer does.
    GraphBatch second = batch("b", 200);
    second.archive(archive("a"));
    GraphStore.prepare(second);
    store.write(second);
    assertArrayEquals(new long[] {1, 1}, store.batchesByWay(), "one direct, one staged");

    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
      for (String tag : List.of("a", "b")) {
        int pid = tag.equals("a") ? 100 : 200;
        String id = HOST + ":" + tag;
        try (ResultSet rs =
            s.executeQuery(
                "SELECT path, time::text, start_time::text, pid, inode, kind, source FROM used"
                    + " WHERE event_id = '"
                    + id
                    + "'")) {
          rs.next();
          assertEquals(STORED, rs.getString(1), "used.path " + tag);
          assertEquals("2026-11-20 10:00:00.123456+00", rs.getString(2));
          assertEquals("1999-12-31 23:59:59.0005+00", rs.getString(3));
          assertEquals(pid, rs.getInt(4));
          assertEquals(Long.MAX_VALUE, rs.getLong(5));
          assertEquals("read", rs.getString(6));
          assertEquals("auditd", rs.getString(7));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT argv, exe, auid, uid, user_name, facts_time::text, end_time, exit_code,"
                    + " signal, start_how, parent_pid, job_id FROM processes WHERE pid = "
                    + pid)) {
          rs.next();
          assertEquals(
              Arrays.asList(STORED, "", "a,b", "{}", "NULL", "ü"), strings(rs.getArray(1)));
          assertEquals(STORED, rs.getString(2));
          assertEquals(4_294_967_295L, rs.getLong(3));
          assertEquals(0, rs.getInt(4));
          assertEquals("bob\tsmith", rs.getString(5));
          assertEquals("2026-11-20 10:00:00.123456+00", rs.getString(6));
          assertEquals(null, rs.getObject(7));
          assertEquals(-1, rs.getInt(8));
          assertEquals(null, rs.getObject(9));
          assertEquals("fork", rs.getString(10));
          assertEquals(Integer.MAX_VALUE, rs.getInt(11));
          assertEquals(null, rs.getString(12));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT argv, exe_inode, cwd FROM process_execs WHERE event_id = '" + id + "'")) {
          rs.next();
          // A NULL element and an empty argument; and an argv that is empty, not NULL.
          assertEquals(Arrays.asList("x", null, ""), strings(rs.getArray(1)));
          assertEquals(null, rs.getObject(2));
          assertEquals(STORED, rs.getString(3));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT argv = '{}'::text[], cardinality(argv) FROM process_execs"
                    + " WHERE event_id = '"
                    + id
                    + "-empty'")) {
          rs.next();
          assertEquals(true, rs.getBoolean(1), "empty argv");
          assertEquals(0, rs.getInt(2));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT attributes::text, attributes->'nested'->>'s' FROM job_events"
                    + " WHERE event_id = '"
                    + id
                    + "'")) {
          rs.next();
          assertEquals(
              "{\"n\": [1, 2.5, null, true], \"nested\": {\"s\": \"tab\\tü\"}}", rs.getString(1));
          assertEquals("tab\tü", rs.getString(2));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT result, port, fd, address FROM sockets WHERE event_id = '" + id + "'")) {
          rs.next();
          assertEquals(-115L, rs.getLong(1));
          assertEquals(null, rs.getObject(2));
          assertEquals(3, rs.getInt(3));
          assertEquals("::1", rs.getString(4));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT src_fs, src_inode, src_path, path FROM was_derived_from"
                    + " WHERE event_id = '"
                    + id
                    + "' ORDER BY src_fs NULLS FIRST")) {
          rs.next();
          assertEquals(null, rs.getString(1));
          assertEquals(null, rs.getObject(2));
          assertEquals(STORED, rs.getString(3));
          rs.next();
          assertEquals("8:1", rs.getString(1));
          assertEquals(-5L, rs.getLong(2));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT informant_pid, informant_start::text, channel FROM was_informed_by"
                    + " WHERE event_id = '"
                    + id
                    + "'")) {
          rs.next();
          assertEquals(1, rs.getInt(1));
          assertEquals("1999-12-31 23:59:59.0005+00", rs.getString(2));
          assertEquals(STORED, rs.getString(3));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT size, cause, path FROM file_versions WHERE event_id = '" + id + "'")) {
          rs.next();
          assertEquals(0L, rs.getLong(1));
          assertEquals("write", rs.getString(2));
          assertEquals(STORED, rs.getString(3));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT op, path FROM file_names WHERE event_id = '" + id + "' ORDER BY op")) {
          rs.next();
          assertEquals("create", rs.getString(1));
          assertEquals(STORED, rs.getString(2));
          // The same name's open in the same hour is kept once, the earlier event's (a's).
          assertEquals(tag.equals("a"), rs.next(), "open of " + tag + " kept");
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT payload, event_time::text FROM event_archive WHERE id = '" + id + "'")) {
          rs.next();
          assertEquals(payload(tag), rs.getString(1));
          assertEquals("2026-11-20 10:00:00.123456+00", rs.getString(2));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT first_seen::text, last_seen::text FROM hosts WHERE host = '" + HOST + "'")) {
        rs.next();
        assertEquals("1999-12-31 23:59:59.0005+00", rs.getString(1));
        assertEquals("2026-11-20 10:00:00.123456+00", rs.getString(2));
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT object_type, first_seen::text FROM files WHERE inode = " + Long.MAX_VALUE)) {
        rs.next();
        assertEquals("file", rs.getString(1));
        assertEquals("2026-11-20 10:00:00.123456+00", rs.getString(2));
      }
    }
    // A batch seen again changes nothing, whatever the format.
    var before = store.counts();
    store.write(batch("a", 100));
    assertEquals(before, store.counts());
  }

  private static GraphBatch batch(String tag, int pid) {
    String id = HOST + ":" + tag;
    GraphBatch b = new GraphBatch();
    b.seen(HOST, "host", TIME);
    b.seen(HOST, "host", START);
    b.archive(archive(tag));
    // Every row's event is archived, or the store takes the staging way.
    b.archive(archive(tag + "-empty"));
    b.process(HOST, pid, START)
        .started("fork", Integer.MAX_VALUE, START, 1)
        .program(
            TIME,
            AWKWARD,
            List.of(AWKWARD, "", "a,b", "{}", "NULL", "ü"),
            "/home/bob",
            0,
            0,
            0,
            0,
            4_294_967_295L,
            "bob\tsmith",
            "bob",
            null)
        .exited(null, -1, null, "exit_group");
    b.exec(
        new Rows.Exec(
            HOST,
            id,
            pid,
            START,
            TIME,
            "/bin/x",
            null,
            null,
            Arrays.asList("x", null, ""),
            AWKWARD,
            0,
            null));
    b.exec(
        new Rows.Exec(
            HOST,
            id + "-empty",
            pid,
            START,
            TIME,
            "/bin/y",
            "8:1",
            7L,
            List.of(),
            "/",
            null,
            null));
    Rows.FileKey file = new Rows.FileKey(HOST, "8:1", Long.MAX_VALUE);
    b.file(file, "file", TIME);
    b.name(new Rows.FileName(id, AWKWARD, "create", file, TIME, HOST, pid, START));
    b.name(new Rows.FileName(id, AWKWARD, "open", file, TIME, HOST, pid, START));
    b.version(new Rows.Version(id, file, TIME, "write", AWKWARD, 0L, HOST, pid, START, "auditd"));
    b.used(new Rows.Used(HOST, id, "read", pid, START, TIME, file, AWKWARD, "auditd"));
    b.informed(new Rows.Informed(HOST, id, "pipe", pid, START, 1, START, TIME, AWKWARD));
    b.derived(new Rows.Derived(id, "rename", file, AWKWARD, null, AWKWARD, TIME, HOST, pid, START));
    b.derived(
        new Rows.Derived(
            id,
            "link",
            file,
            AWKWARD,
            new Rows.FileKey(HOST, "8:1", -5),
            null,
            TIME,
            HOST,
            pid,
            START));
    b.socket(
        new Rows.Socket(
            HOST, id, pid, START, TIME, "connect", "inet6", "::1", null, null, 3, -115L));
    b.job(
        new Rows.JobEvent(
            HOST,
            id,
            "job-" + tag,
            "submitted",
            "bob",
            "{\"nested\":{\"s\":\"tab\\tü\"},\"n\":[1,2.5,null,true]}",
            TIME));
    return b;
  }

  private static Rows.Archive archive(String tag) {
    return new Rows.Archive(
        HOST,
        HOST + ":" + tag,
        "file.access",
        TIME,
        "it/1",
        payload(tag).getBytes(StandardCharsets.UTF_8),
        "auditd",
        0,
        (long) tag.hashCode());
  }

  private static String payload(String tag) {
    return "{\"tag\":\"" + tag + "\",\"p\":\"Ünï\\t✓\"}";
  }

  private static List<String> strings(Array a) throws Exception {
    return new ArrayList<>(Arrays.asList((String[]) a.getArray()));
  }
}
