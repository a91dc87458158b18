package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static io.ursprung.it.ConsumerHarness.rows;
import static io.ursprung.it.Workload.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.ConsumerLoop;
import io.ursprung.consumer.Source;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.FileAccess;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.SocketActivity;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The auditd consumer end to end: events on a real broker, the consumer in this JVM, the graph in a
 * real PostgreSQL. A small hand-made pipeline checks each kind of row; the same stream delivered
 * twice checks idempotency; a malformed message checks the dead-letter path.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
class AuditdConsumerIT {

  @Test
  void pipelineBecomesAGraph(TestKafka kafka, TestDatabase db) throws Exception {
    String topic = kafka.createTopic("auditd", 2);
    String h = "graph01";
    Instant t = Instant.parse("2026-11-20T10:00:00.000Z");
    ProcessRef bash = new ProcessRef(10, t);
    ProcessRef cat = new ProcessRef(11, t.plusMillis(1));
    ProcessRef gzip = new ProcessRef(12, t.plusMillis(1));
    ProcessRef server = new ProcessRef(13, t.plusMillis(1));
    List<ProvEvent> events = new ArrayList<>();
    int s = 0;
    events.add(
        ev(
            h,
            s++,
            t,
            new ProcessStarted(
                bash,
                null,
                1,
                10,
                10,
                null,
                "/w",
                "/usr/bin/bash",
                List.of("bash", "etl.sh"),
                "first-seen")));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(1),
            new ProcessStarted(
                cat,
                bash,
                10,
                10,
                10,
                null,
                "/w",
                "/usr/bin/bash",
                List.of("bash", "etl.sh"),
                "fork")));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(1),
            new ProcessStarted(
                gzip,
                bash,
                10,
                10,
                10,
                null,
                "/w",
                "/usr/bin/bash",
                List.of("bash", "etl.sh"),
                "fork")));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(1),
            new ProcessStarted(
                server, bash, 10, 10, 10, null, "/w", "/usr/bin/bash", List.of("bash"), "fork")));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(2),
            new ProcessExec(
                cat,
                "/usr/bin/cat",
                77L,
                "fe:01",
                List.of("cat", "in.csv"),
                "/w",
                null,
                "execve")));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(2),
            new ProcessExec(
                gzip, "/usr/bin/gzip", 78L, "fe:01", List.of("gzip"), "/w", null, "execve")));
    events.add(ev(h, s++, t.plusMillis(3), new Ipc("pipe", "10:3,4", cat, gzip)));
    events.add(
        ev(h, s++, t.plusMillis(3), Workload.open(cat, "/w/in.csv", 100L, true, false, false)));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(4),
            Workload.open(gzip, "/w/out.gz.part", 101L, false, true, true)));
    events.add(ev(h, s++, t.plusMillis(5), Workload.close(gzip, "/w/out.gz.part", 101L)));
    events.add(
        ev(h, s++, t.plusMillis(6), Workload.rename(bash, "/w/out.gz.part", 101L, "/w/out.gz")));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(7),
            new FileAccess(
                bash,
                FileAccess.Op.LINK,
                "/w/out.gz",
                101L,
                "fe:01",
                null,
                null,
                null,
                null,
                null,
                null,
                "/w/out.hard.gz",
                null,
                "file")));
    events.add(ev(h, s++, t.plusMillis(8), Workload.symlink(bash, "out.gz", "/w/latest", 102L)));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(9),
            new FileAccess(
                bash,
                FileAccess.Op.UNLINK,
                "/w/in.csv",
                100L,
                "fe:01",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "file")));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(10),
            new SocketActivity(server, "bind", 3, "inet", "127.0.0.1", 8765, null, 0L)));
    events.add(
        ev(
            h,
            s++,
            t.plusMillis(11),
            new SocketActivity(cat, "connect", 4, "inet", "127.0.0.1", 8765, null, 0L)));
    events.add(ev(h, s++, t.plusMillis(12), new ProcessExited(cat, 0, null, "exit_group")));
    events.add(ev(h, s++, t.plusMillis(12), new ProcessExited(gzip, 2, null, "exit_group")));
    events.add(ev(h, s++, t.plusMillis(13), new ProcessExited(server, null, 9, "pid-reused")));

    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    try (ConsumerHarness.Running c =
        ConsumerHarness.start(
            ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 7), store)) {
      ConsumerHarness.send(kafka, topic, events);
      await(
          "all events stored",
          Duration.ofSeconds(60),
          () -> count(db, "SELECT count(*) FROM event_archive WHERE host = ?", h) == events.size());
      Map<String, Long> first = ConsumerHarness.countsForHost(db, h);

      // The same stream again (a producer retry, a replayed log): nothing changes.
      ConsumerHarness.send(kafka, topic, events);
      await(
          "the duplicates consumed",
          Duration.ofSeconds(60),
          () -> c.metrics().events() >= 2L * events.size());
      assertEquals(first, ConsumerHarness.countsForHost(db, h));
      // The duplicates went straight at the tables first, hit the archive's primary key, and
      // were written again through staging (no probe of the archive decides it beforehand).
      assertTrue(store.batchesByWay()[0] >= 1, "first delivery written straight");
      assertTrue(store.batchesByWay()[1] >= 1, "replay written through staging");
    }

    // Processes: the exec'd program wins over the forked shell's, exit code and signal stored.
    assertEquals(
        List.of(
            java.util.Arrays.asList("11", "/usr/bin/cat", "{cat,in.csv}", "0", null),
            java.util.Arrays.asList("12", "/usr/bin/gzip", "{gzip}", "2", null),
            java.util.Arrays.asList("13", "/usr/bin/bash", "{bash}", null, "9")),
        rows(
            db,
            "SELECT pid, exe, argv, exit_code, signal FROM processes WHERE host = ? AND pid > 10 ORDER BY pid",
            h));
    // Fork and pipe edges.
    assertEquals(
        3,
        count(
            db,
            "SELECT count(*) FROM was_informed_by WHERE host = ? AND kind = 'fork' AND informant_pid = 10",
            h));
    assertEquals(
        List.of(List.of("12", "11")),
        rows(
            db,
            "SELECT pid, informant_pid FROM was_informed_by WHERE host = ? AND kind = 'pipe'",
            h));
    // The local socket joins client and server both ways.
    assertEquals(
        List.of(List.of("11", "13"), List.of("13", "11")),
        rows(
            db,
            "SELECT pid, informant_pid FROM was_informed_by WHERE host = ? AND kind = 'socket' ORDER BY pid",
            h));
    // Reads and executables.
    assertEquals(
        List.of(
            List.of("11", "read", "/w/in.csv"),
            List.of("11", "exec", "/usr/bin/cat"),
            List.of("12", "exec", "/usr/bin/gzip")),
        rows(db, "SELECT pid, kind, path FROM used WHERE host = ? ORDER BY pid, kind DESC", h));
    // Versions of inode 101: create, write-close (gzip), rename (bash), numbered by time.
    assertEquals(
        List.of(
            List.of("1", "create", "12"),
            List.of("2", "write", "12"),
            List.of("3", "rename", "10")),
        rows(
            db,
            "SELECT version, cause, pid FROM file_versions_numbered WHERE host = ? AND inode = 101 ORDER BY version",
            h));
    assertEquals(
        List.of(List.of("12", "write")),
        rows(db, "SELECT pid, kind FROM was_generated_by WHERE host = ? AND kind = 'write'", h));
    // Rename, hard link and symlink as wasDerivedFrom; the symlink's text resolved to a path.
    assertEquals(
        List.of(
            List.of("link", "/w/out.hard.gz", "/w/out.gz"),
            List.of("rename", "/w/out.gz", "/w/out.gz.part"),
            List.of("symlink", "/w/latest", "/w/out.gz")),
        rows(
            db,
            "SELECT kind, path, src_path FROM was_derived_from WHERE host = ? ORDER BY kind",
            h));
    // Deletion keeps the history: in.csv is unlinked but its read stays.
    assertEquals(
        List.of(List.of("open", "11"), List.of("unlink", "10")),
        rows(
            db,
            "SELECT op, pid FROM file_names WHERE host = ? AND path = '/w/in.csv' ORDER BY time",
            h));
  }

  @Test
  void malformedMessageIsDeadLetteredAndTheConsumerGoesOn(TestKafka kafka, TestDatabase db)
      throws Exception {
    String topic = kafka.createTopic("auditd-dlq", 1);
    kafka.createTopicNamed(topic + ".dlq", 1);
    String h = "dlq01";
    Instant t = Instant.parse("2026-11-20T11:00:00.000Z");
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    try (ConsumerHarness.Running c =
        ConsumerHarness.start(
            ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 100), store)) {
      ConsumerHarness.send(
          kafka,
          topic,
          List.of(ev(h, 1, t, new ProcessExited(new ProcessRef(5, t), 0, null, "exit_group"))));
      ConsumerHarness.sendRaw(
          kafka,
          topic,
          h,
          List.of("{\"schemaVersion\":1,\"type\":\"process.exit\"", "{\"schemaVersion\":9}"));
      ConsumerHarness.send(
          kafka,
          topic,
          List.of(
              ev(
                  h,
                  2,
                  t.plusMillis(1),
                  new ProcessExited(new ProcessRef(6, t), 0, null, "exit_group"))));
      await(
          "both good events stored",
          Duration.ofSeconds(60),
          () -> count(db, "SELECT count(*) FROM processes WHERE host = ?", h) == 2);
      await("both bad ones counted", Duration.ofSeconds(30), () -> c.metrics().deadLettered() == 2);
    }
    List<String> reasons = deadLetterReasons(kafka, topic, 2);
    assertEquals(2, reasons.size(), reasons.toString());
    assertTrue(reasons.get(0).startsWith("not JSON"), reasons.get(0));
    assertTrue(reasons.get(1).contains("schemaVersion"), reasons.get(1));
  }

  /**
   * Pipelined, as `ursprung consumer` runs: a batch that PostgreSQL refuses for one event's data is
   * written again one event at a time on the writer thread, and only that event is dead-lettered;
   * an event whose bytes are not UTF-8 is dead-lettered before it reaches the database.
   */
  @Test
  void aBatchTheDatabaseRefusesIsWrittenEventByEventAndOnlyTheBadOneIsSetAside(
      TestKafka kafka, TestDatabase db) throws Exception {
    String topic = kafka.createTopic("auditd-reject", 1);
    kafka.createTopicNamed(topic + ".dlq", 1);
    String h = "reject01";
    Instant t = Instant.parse("2026-11-20T12:00:00.000Z");
    // An event id too long for a B-tree index entry (the archive's primary key): random, so
    // PostgreSQL cannot compress it. (Long paths are stored since V86: LongPathsIT.)
    java.util.Random random = new java.util.Random(5);
    StringBuilder longId = new StringBuilder(h + ":auditd:1:");
    for (int i = 0; i < 3000; i++) {
      longId.append((char) ('a' + random.nextInt(26)));
    }
    List<ProvEvent> good = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      good.add(
          ev(
              h,
              10 + i,
              t.plusMillis(i),
              new ProcessExited(new ProcessRef(100 + i, t), 0, null, "exit_group")));
    }
    ProvEvent tooLong =
        ProvEvent.of(
            longId.toString(),
            Workload.PRODUCER,
            h,
            t,
            Workload.open(new ProcessRef(99, t), "/w/in.csv", 7, true, false, false));
    ProvEvent surrogate =
        ev(h, 2, t, Workload.open(new ProcessRef(98, t), "/w/@@@.csv", 8, true, false, false));
    byte[] bad = ConsumerHarness.CODEC.toBytes(surrogate);
    String text = new String(bad, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("@@@");
    // U+D800 encoded as UTF-8 would be: not UTF-8, and refused by PostgreSQL in a text column.
    bad[at] = (byte) 0xed;
    bad[at + 1] = (byte) 0xa0;
    bad[at + 2] = (byte) 0x80;
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    try (ConsumerHarness.Running c =
            ConsumerHarness.start(
                ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 100),
                store);
        org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> p =
            new org.apache.kafka.clients.producer.KafkaProducer<>(kafka.producerProperties())) {
      byte[] key = h.getBytes(StandardCharsets.UTF_8);
      List<ProvEvent> all = new ArrayList<>(good.subList(0, 10));
      all.add(tooLong);
      all.addAll(good.subList(10, 20));
      for (ProvEvent e : all) {
        p.send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic, key, ConsumerHarness.CODEC.toBytes(e)));
      }
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, bad));
      p.flush();
      await(
          "the good events stored",
          Duration.ofSeconds(60),
          () -> count(db, "SELECT count(*) FROM event_archive WHERE host = ?", h) == 20);
      await("both bad ones counted", Duration.ofSeconds(30), () -> c.metrics().deadLettered() == 2);
    }
    assertEquals(0, count(db, "SELECT count(*) FROM used WHERE host = ? AND pid IN (98, 99)", h));
    assertEquals(20, count(db, "SELECT count(*) FROM processes WHERE host = ?", h));
    List<String> reasons = deadLetterReasons(kafka, topic, 2);
    reasons.sort(null);
    assertEquals(2, reasons.size(), reasons.toString());
    assertTrue(reasons.get(0).contains("UTF-8"), reasons.get(0));
    assertTrue(reasons.get(1).startsWith("rejected by the database"), reasons.get(1));
    assertTrue(reasons.get(1).contains("index row size"), reasons.get(1));
  }

  /** The reasons of the first {@code n} dead letters of {@code topic} (waits up to 30 s). */
  static List<String> deadLetterReasons(TestKafka kafka, String topic, int n) {
    List<String> reasons = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> dlq =
        new KafkaConsumer<>(kafka.consumerProperties("dlq-reader-" + topic))) {
      dlq.subscribe(List.of(topic + ".dlq"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (reasons.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : dlq.poll(Duration.ofMillis(500))) {
          reasons.add(
              new String(
                  r.headers().lastHeader(ConsumerLoop.REASON_HEADER).value(),
                  StandardCharsets.UTF_8));
        }
      }
    }
    return reasons;
  }
}
