package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static io.ursprung.it.ConsumerHarness.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.Source;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.lineage.LineageEquivalence;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real etl-bob capture through plugin (parser and OS model) → Kafka → consumer → PostgreSQL,
 * checked against what testdata/audit/README.md says a correct graph shows.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtlBobGraphIT {
  static final String ETL = "/home/bob/etl/";
  TestDatabase db;

  @BeforeAll
  void replay(TestKafka kafka, TestDatabase db) throws Exception {
    this.db = db;
    List<ProvEvent> events =
        AuditCapture.events(AuditCapture.TESTDATA.resolve("etl-bob.plugin-stream.log"));
    String topic = kafka.createTopic("auditd-etl", 2);
    try (ConsumerHarness.Running c =
        ConsumerHarness.start(
            ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 1000),
            new GraphStore(db.dataSource(), Duration.ofSeconds(1)))) {
      ConsumerHarness.send(kafka, topic, events);
      await(
          "the capture's " + events.size() + " events stored",
          Duration.ofSeconds(180),
          () -> count(db, "SELECT count(*) FROM event_archive") >= events.size());
    }
    assertEquals(
        events.size(),
        count(db, "SELECT count(*) FROM event_archive"),
        "every event archived once");
  }

  /** Command lines (argv joined by blanks) of the processes that generated a path. */
  List<String> writers(String path) {
    return rows(
            db,
            "SELECT DISTINCT array_to_string(p.argv, ' ') FROM was_generated_by g JOIN processes p"
                + " ON p.host = g.host AND p.pid = g.pid AND p.start_time = g.start_time WHERE g.path = ? ORDER BY 1",
            path)
        .stream()
        .map(r -> r.get(0))
        .toList();
  }

  /** Command lines of the processes that read (or executed) a path. */
  List<String> readers(String path) {
    return rows(
            db,
            "SELECT DISTINCT array_to_string(p.argv, ' ') FROM used u JOIN processes p"
                + " ON p.host = u.host AND p.pid = u.pid AND p.start_time = u.start_time WHERE u.path = ? ORDER BY 1",
            path)
        .stream()
        .map(r -> r.get(0))
        .toList();
  }

  static boolean any(List<String> cmds, String fragment) {
    return cmds.stream().anyMatch(c -> c.contains(fragment));
  }

  @Test
  void lineageAnswersAreThoseOfTheReferenceWalk() throws Exception {
    // lineage_graph (V71) against the V70 lineage_walk statement, from every process, version
    // and path of the capture (both directions, admin and viewers, cut and whole answers).
    LineageEquivalence.Covered covered = LineageEquivalence.compareAll(db.dataSource());
    assertTrue(covered.truncated() > 0, "no cut answers: " + covered);
    assertTrue(covered.largest() >= 10, "only small answers: " + covered);
  }

  @Test
  void partsAreWrittenByTheScript() {
    for (String p : List.of("in/part1.csv", "in/part2.csv", "in/part3.csv")) {
      assertTrue(any(writers(ETL + p), "etl.sh"), p + " writers " + writers(ETL + p));
    }
  }

  @Test
  void catJoinsThePartsIntoAll() {
    assertTrue(
        any(writers(ETL + "in/all.csv"), "cat in/part1.csv"),
        writers(ETL + "in/all.csv").toString());
    for (String p : List.of("in/part1.csv", "in/part2.csv", "in/part3.csv")) {
      assertTrue(any(readers(ETL + p), "cat in/part1.csv"), p + " readers " + readers(ETL + p));
    }
  }

  @Test
  void extractIsBuiltByTheToolchainAndExecuted() {
    List<String> w = writers(ETL + "extract");
    assertTrue(any(w, "ld") || any(w, "collect2"), "extract writers " + w);
    assertTrue(
        any(readers(ETL + "extract.c"), "cc1"), "extract.c readers " + readers(ETL + "extract.c"));
    assertTrue(
        any(writers(ETL + "out/rows.csv"), "./extract in/all.csv out/rows.csv"),
        writers(ETL + "out/rows.csv").toString());
    assertEquals(
        1,
        count(db, "SELECT count(*) FROM used WHERE kind = 'exec' AND path = ?", ETL + "extract"));
    assertTrue(
        any(readers(ETL + "in/all.csv"), "./extract"), readers(ETL + "in/all.csv").toString());
  }

  @Test
  void sortUniqGzipArePipedTogether() {
    assertTrue(
        any(writers(ETL + "out/rows.sorted.gz"), "gzip"),
        writers(ETL + "out/rows.sorted.gz").toString());
    List<String> chain =
        rows(
                db,
                "SELECT array_to_string(r.argv, ' ') || ' <- ' || array_to_string(w.argv, ' ') FROM was_informed_by i"
                    + " JOIN processes r ON r.host = i.host AND r.pid = i.pid AND r.start_time = i.start_time"
                    + " JOIN processes w ON w.host = i.host AND w.pid = i.informant_pid AND w.start_time = i.informant_start"
                    + " WHERE i.kind = 'pipe' ORDER BY 1")
            .stream()
            .map(r -> r.get(0))
            .toList();
    assertTrue(
        chain.stream().anyMatch(c -> c.startsWith("gzip") && c.contains("<- uniq")),
        chain.toString());
    assertTrue(
        chain.stream().anyMatch(c -> c.startsWith("uniq") && c.contains("<- sort")),
        chain.toString());
    assertTrue(
        any(readers(ETL + "out/rows.csv"), "sort"), readers(ETL + "out/rows.csv").toString());
  }

  @Test
  void summaryIsRenamedLinkedAndArchived() {
    assertTrue(
        any(writers(ETL + "out/summary.json.part"), "python3"),
        writers(ETL + "out/summary.json.part").toString());
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM was_derived_from WHERE kind = 'rename' AND src_path = ? AND path = ?",
            ETL + "out/summary.json.part",
            ETL + "out/summary.json"));
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM was_derived_from WHERE kind = 'symlink' AND path = ? AND src_path = ?",
            ETL + "latest.json",
            ETL + "out/summary.json"));
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM was_derived_from WHERE kind = 'link' AND path = ? AND src_path = ?",
            ETL + "out/rows.hardlink.csv",
            ETL + "out/rows.csv"));
    assertTrue(
        any(writers(ETL + "out/archive.tar"), "tar cf"),
        writers(ETL + "out/archive.tar").toString());
    assertTrue(
        any(readers(ETL + "out/summary.json"), "tar cf"),
        readers(ETL + "out/summary.json").toString());
    assertTrue(
        any(readers(ETL + "out/rows.csv"), "tar cf"), readers(ETL + "out/rows.csv").toString());
  }

  @Test
  void deletionKeepsHistoryAndFailuresAreRecorded() {
    assertEquals(
        List.of(List.of("rm")),
        rows(
            db,
            "SELECT DISTINCT p.argv[1] FROM file_names n JOIN processes p ON p.host = n.proc_host AND p.pid = n.pid AND p.start_time = n.start_time WHERE n.op = 'unlink' AND n.path = ?",
            ETL + "in/part2.csv"));
    assertTrue(any(readers(ETL + "in/part2.csv"), "cat"));
    assertEquals(
        List.of(List.of("2")),
        rows(db, "SELECT exit_code FROM processes WHERE argv = ARRAY['ls', '/nonexistent']"));
  }

  @Test
  void httpServerAndClientAreJoinedBySocket() {
    List<String> edges =
        rows(
                db,
                "SELECT array_to_string(a.argv, ' ') || ' <- ' || array_to_string(b.argv, ' ') FROM was_informed_by i"
                    + " JOIN processes a ON a.host = i.host AND a.pid = i.pid AND a.start_time = i.start_time"
                    + " JOIN processes b ON b.host = i.host AND b.pid = i.informant_pid AND b.start_time = i.informant_start"
                    + " WHERE i.kind = 'socket'")
            .stream()
            .map(r -> r.get(0))
            .toList();
    assertTrue(
        edges.stream().anyMatch(e -> e.contains("http.server") && e.contains("urlopen")),
        edges.toString());
    assertTrue(
        any(readers(ETL + "out/summary.json"), "http.server"),
        readers(ETL + "out/summary.json").toString());
    List<List<String>> server =
        rows(
            db,
            "SELECT exit_how, exit_code FROM processes WHERE array_to_string(argv, ' ') LIKE '%http.server%'");
    assertTrue(server.stream().anyMatch(r -> !"exit_group".equals(r.get(0))), server.toString());
  }
}
