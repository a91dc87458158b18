package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.RebuildCommand;
import io.ursprung.consumer.Source;
import io.ursprung.db.Database;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code ursprung rebuild}: the graph made again from {@code event_archive} is the graph the
 * consumers made, row for row. The graph comes from the real pipeline: the etl-bob capture through
 * Kafka and the auditd consumer, plus Spectrum Scale records (file events of an audited process
 * arriving before it, a rename pair in reverse order, a half that never finds its partner) through
 * the Scale consumer. Every derived table's rows are fingerprinted, then emptied (or damaged) and
 * rebuilt with the command itself.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildIT {
  static final String[] DERIVED = {
    "processes",
    "process_execs",
    "files",
    "file_names",
    "file_versions",
    "used",
    "was_informed_by",
    "was_derived_from",
    "sockets",
    "job_events",
    "hosts",
    "scale_moves"
  };

  TestDatabase db;
  Map<String, String> original;
  long archived;

  @BeforeAll
  void pipeline(TestKafka kafka, TestDatabase db) throws Exception {
    this.db = db;
    List<ProvEvent> events =
        new ArrayList<>(
            AuditCapture.events(AuditCapture.TESTDATA.resolve("etl-bob.plugin-stream.log")));
    String audit = kafka.createTopic("auditd-rebuild", 2);
    String gpfs = kafka.createTopic("gpfs-rebuild", 1);
    Instant t = Instant.parse("2026-11-20T10:00:00.250Z");
    ProcessRef p = new ProcessRef(4242, t);
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    List<String> records =
        List.of(
            ScaleConsumerIT.watch(
                "IN_CLOSE_WRITE",
                "node17",
                "/gpfs/fs0/out.dat",
                9000000002L,
                4242,
                "2026-11-20_10:00:02+0000",
                0),
            ScaleConsumerIT.watch(
                "IN_CLOSE_NOWRITE",
                "node17",
                "/gpfs/fs0/in.dat",
                9000000001L,
                4242,
                "2026-11-20_10:00:01+0000",
                0),
            ScaleConsumerIT.watch(
                "IN_MOVED_TO", "node17", "/gpfs/fs0/y", 501, 4242, "2026-11-20_10:00:03+0000", 7),
            ScaleConsumerIT.watch(
                "IN_MOVED_FROM", "node17", "/gpfs/fs0/x", 501, 4242, "2026-11-20_10:00:03+0000", 7),
            ScaleConsumerIT.watch(
                "IN_MOVED_FROM",
                "node17",
                "/gpfs/fs0/gone",
                502,
                4242,
                "2026-11-20_10:00:04+0000",
                8));
    try (ConsumerHarness.Running a =
            ConsumerHarness.start(
                ConsumerHarness.settings(Source.AUDITD, kafka, db, audit, db.jdbcUrl(), 500),
                store);
        ConsumerHarness.Running s =
            ConsumerHarness.start(
                ConsumerHarness.settings(Source.SCALE, kafka, db, gpfs, db.jdbcUrl(), 50), store)) {
      // The Scale records first: their process is not stored yet and is attached later.
      ConsumerHarness.sendRaw(kafka, gpfs, "c1.example", records);
      await(
          "the Scale records archived",
          Duration.ofSeconds(120),
          () -> count(db, "SELECT count(*) FROM event_archive WHERE host = 'c1.example'") == 5);
      events.add(ScaleConsumerIT.started("node17", 1, p));
      events.add(ScaleConsumerIT.exited("node17", 2, p, t.plusSeconds(10)));
      ConsumerHarness.send(kafka, audit, events);
      await(
          "every event archived",
          Duration.ofSeconds(180),
          () -> count(db, "SELECT count(*) FROM event_archive") == events.size() + 5);
      await(
          "the Scale read attached to its process",
          Duration.ofSeconds(60),
          () ->
              count(
                      db,
                      "SELECT count(*) FROM used WHERE source = 'scale' AND start_time IS NOT NULL")
                  == 1);
    }
    archived = events.size() + 5;
    original = fingerprints();
    assertTrue(Long.parseLong(original.get("processes").split(" ")[0]) > 10, original.toString());
    assertTrue(Long.parseLong(original.get("scale_moves").split(" ")[0]) == 3, original.toString());
  }

  /** Row count and a digest of every row, ordered, of each derived table. */
  Map<String, String> fingerprints() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : DERIVED) {
      List<List<String>> r =
          ConsumerHarness.rows(
              db,
              "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY"
                  + " x::text)), '-') FROM "
                  + table
                  + " x");
      out.put(table, r.get(0).get(0));
    }
    return out;
  }

  Result rebuild(String... args) {
    List<String> all = new ArrayList<>(List.of("--set", "db.url=" + db.jdbcUrl()));
    all.addAll(List.of("--set", "db.user=" + db.user()));
    if (db.password() != null) {
      all.addAll(List.of("--set", "db.password=" + db.password()));
    }
    all.addAll(List.of("--set", "skew.ms=1000", "--set", "batch.size=700"));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new RebuildCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(all.toArray(String[]::new));
    return new Result(status, out.toString(), err.toString());
  }

  record Result(int status, String out, String err) {}

  void sql(String statement) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  @Order(1)
  void clearAndRebuildGivesTheConsumersGraphRowForRow() throws Exception {
    // A host known only from its status reports (not archived) must survive the clear.
    sql(
        "INSERT INTO hosts (host, kind, first_seen, last_seen) VALUES ('status-only', 'host',"
            + " '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z')");
    original = fingerprints();
    Result r = rebuild("--clear");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains(archived + " archived events replayed"), r.out());
    assertEquals(original, fingerprints());
  }

  @Test
  @Order(2)
  void repairRemakesMissingRowsAndLeavesTheRest() throws Exception {
    sql("DELETE FROM used WHERE (hashtext(event_id) & 1) = 0");
    sql("DELETE FROM processes WHERE pid % 3 = 0");
    sql("DELETE FROM file_versions WHERE source = 'scale'");
    sql("DELETE FROM file_names WHERE op = 'open' AND (hashtext(event_id) & 1) = 1");
    assertNotEquals(original, fingerprints(), "nothing was damaged");
    Result r = rebuild();
    assertEquals(0, r.status(), r.err());
    assertEquals(original, fingerprints());
  }

  @Test
  @Order(3)
  void oneHostRepairedAlone() throws Exception {
    sql("DELETE FROM used WHERE host = 'node17'");
    sql("DELETE FROM file_versions WHERE proc_host = 'node17'");
    Result r = rebuild("--host", "c1.example", "--host", "node17");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("7 archived events replayed"), r.out());
    assertEquals(original, fingerprints());
  }

  @Test
  @Order(4)
  void clearIsRefusedWhileAConsumerReports() throws Exception {
    sql(
        "INSERT INTO consumer_status (instance_id, source, topic, group_id, host_name, started,"
            + " updated, running, events_total, batches_total, dead_lettered_total,"
            + " events_per_second) VALUES ('it/auditd/1-1', 'auditd', 'auditd', 'g', 'it', now(),"
            + " now(), true, 0, 0, 0, 0)");
    try {
      Result r = rebuild("--clear");
      assertEquals(1, r.status(), r.out());
      assertTrue(r.err().contains("it/auditd/1-1") && r.err().contains("--force"), r.err());
      assertEquals(original, fingerprints(), "the tables were touched");
      assertEquals(2, rebuild("--clear", "--host", "node17").status());
    } finally {
      sql("DELETE FROM consumer_status WHERE instance_id = 'it/auditd/1-1'");
    }
  }

  @Test
  @Order(4)
  void clearIsRefusedWhileAConsumerIsConnectedThoughItNeverReports() throws Exception {
    // A consumer's pool as `ursprung consumer --source auditd` opens it (status.interval.ms=0:
    // no consumer_status row at all).
    try (Database consumer =
        Database.open(db.jdbcUrl(), db.user(), db.password(), "consumer-auditd", 2)) {
      try (Connection c = consumer.dataSource().getConnection();
          Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SHOW application_name")) {
        rs.next();
        assertEquals("ursprung-consumer-auditd", rs.getString(1));
      }
      Result r = rebuild("--clear");
      assertEquals(1, r.status(), r.out());
      assertTrue(
          r.err().contains("ursprung-consumer-auditd (1 connections)")
              && r.err().contains("--force"),
          r.err());
      assertEquals(original, fingerprints(), "the tables were touched");
    }
    // Gone: --clear goes ahead.
    Result r = rebuild("--clear");
    assertEquals(0, r.status(), r.err());
    assertEquals(original, fingerprints());
  }

  @Test
  @Order(7)
  void anUnreadableArchivedEventIsListedAndTheRestReplayed() throws Exception {
    sql(
        "UPDATE event_archive SET payload = '{\"broken\": ' WHERE host = 'node17'"
            + " AND type = 'process.exit'");
    Result r = rebuild("--clear");
    assertEquals(RebuildCommand.EXIT_UNREADABLE, r.status(), r.out() + r.err());
    assertTrue(r.err().contains("1 archived events could not be read"), r.err());
    assertTrue(r.err().contains("node17/"), r.err());
    assertTrue(r.out().contains((archived - 1) + " archived events replayed"), r.out());
    assertEquals(
        1, count(db, "SELECT count(*) FROM processes WHERE host = 'node17' AND end_time IS NULL"));
  }

  @Test
  @Order(5)
  void clearIsRefusedWhenTheGraphHoldsRowsTheArchiveDoesNot() throws Exception {
    // an imported PROV-JSON document (its rows are in the graph, not in the archive)
    sql(
        "INSERT INTO prov_documents (doc_id, name, prefixes, document) VALUES ('it-doc', 'x.json',"
            + " '{}', '{}')");
    try {
      Map<String, String> before = fingerprints();
      Result r = rebuild("--clear");
      assertEquals(1, r.status(), r.out());
      assertTrue(r.err().contains("PROV-JSON") && r.err().contains("without --clear"), r.err());
      assertEquals(before, fingerprints(), "the tables were touched");
      assertEquals(0, rebuild().status(), "repair is still allowed");
    } finally {
      sql("DELETE FROM prov_documents WHERE doc_id = 'it-doc'");
    }
  }
}
