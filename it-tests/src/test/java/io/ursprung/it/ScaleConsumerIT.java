package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static io.ursprung.it.ConsumerHarness.rows;
import static io.ursprung.it.Workload.ev;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.consumer.Source;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Spectrum Scale watch folder events joined to audited processes by (nodeName, processId, eventTime
 * within the skew), whichever topic arrives first; and rename halves paired by cookie in either
 * order, across batches.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
class ScaleConsumerIT {
  static final Instant T = Instant.parse("2026-11-20T10:00:00.250Z");

  static String watch(
      String event, String node, String path, long inode, int pid, String time, long cookie) {
    return "{\"WF_JSON\":\"0.0.1\",\"wd\":\"1\",\"cookie\":\""
        + cookie
        + "\",\"mask\":\"0x0\","
        + "\"event\":\""
        + event
        + "\",\"path\":\""
        + path
        + "\",\"clusterName\":\"c1.example\","
        + "\"nodeName\":\""
        + node
        + "\",\"nfsClientIp\":\"\",\"fsName\":\"fs0\",\"inode\":\""
        + inode
        + "\","
        + "\"fileSize\":\"4096\",\"eventTime\":\""
        + time
        + "\",\"clientUserId\":\"1001\","
        + "\"processId\":\""
        + pid
        + "\",\"acls\":null,\"xattrs\":null,\"subEventType\":\"NONE\"}";
  }

  @Test
  void fileEventsAttachToProcessesInEitherOrder(TestKafka kafka, TestDatabase db) throws Exception {
    String audit = kafka.createTopic("auditd", 1);
    String gpfs = kafka.createTopic("gpfs", 1);
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    try (ConsumerHarness.Running a =
            ConsumerHarness.start(
                ConsumerHarness.settings(Source.AUDITD, kafka, db, audit, db.jdbcUrl(), 50),
                store);
        ConsumerHarness.Running s =
            ConsumerHarness.start(
                ConsumerHarness.settings(Source.SCALE, kafka, db, gpfs, db.jdbcUrl(), 50), store)) {
      // Order 1, node17: the process is stored first, then its file events arrive.
      ProcessRef p17 = new ProcessRef(4242, T);
      ConsumerHarness.send(
          kafka,
          audit,
          List.of(started("node17", 1, p17), exited("node17", 2, p17, T.plusSeconds(10))));
      await(
          "node17 process",
          Duration.ofSeconds(60),
          () ->
              count(
                      db,
                      "SELECT count(*) FROM processes WHERE host = 'node17' AND end_time IS NOT NULL")
                  == 1);
      ConsumerHarness.sendRaw(
          kafka,
          gpfs,
          "c1.example",
          List.of(
              watch(
                  "IN_CLOSE_WRITE",
                  "node17",
                  "/gpfs/fs0/out.dat",
                  9000000000L,
                  4242,
                  "2026-11-20_10:00:02+0000",
                  0),
              watch(
                  "IN_CLOSE_NOWRITE",
                  "node17",
                  "/gpfs/fs0/in.dat",
                  9000000001L,
                  4242,
                  "2026-11-20_10:00:01+0000",
                  0)));

      // Order 2, node18: file events first (one per incarnation of a reused pid), processes later.
      ProcessRef first = new ProcessRef(777, T);
      ProcessRef second = new ProcessRef(777, T.plusSeconds(20));
      ConsumerHarness.sendRaw(
          kafka,
          gpfs,
          "c1.example",
          List.of(
              watch(
                  "IN_CLOSE_WRITE",
                  "node18",
                  "/gpfs/fs0/a.dat",
                  9100000000L,
                  777,
                  "2026-11-20_10:00:03+0000",
                  0),
              watch(
                  "IN_CLOSE_WRITE",
                  "node18",
                  "/gpfs/fs0/b.dat",
                  9100000001L,
                  777,
                  "2026-11-20T10:00:21Z",
                  0)));
      await(
          "node18 versions, unattached",
          Duration.ofSeconds(60),
          () -> count(db, "SELECT count(*) FROM file_versions WHERE proc_host = 'node18'") == 2);
      assertEquals(
          0,
          count(
              db,
              "SELECT count(*) FROM file_versions WHERE proc_host = 'node18' AND start_time IS NOT NULL"));
      ConsumerHarness.send(
          kafka,
          audit,
          List.of(
              started("node18", 1, first),
              exited("node18", 2, first, T.plusSeconds(5)),
              started("node18", 3, second)));
      await(
          "node18 attached",
          Duration.ofSeconds(60),
          () ->
              count(
                      db,
                      "SELECT count(*) FROM file_versions WHERE proc_host = 'node18' AND start_time IS NOT NULL")
                  == 2);
      await(
          "node17 attached",
          Duration.ofSeconds(60),
          () ->
              count(
                      db,
                      "SELECT count(*) FROM used WHERE host = 'node17' AND start_time IS NOT NULL")
                  == 1);
    }
    assertEquals(
        List.of(
            List.of("node17", "/gpfs/fs0/out.dat", "4242", "2026-11-20 10:00:00.25+00"),
            List.of("node18", "/gpfs/fs0/a.dat", "777", "2026-11-20 10:00:00.25+00"),
            List.of("node18", "/gpfs/fs0/b.dat", "777", "2026-11-20 10:00:20.25+00")),
        rows(
            db,
            "SELECT host, path, pid, start_time AT TIME ZONE 'UTC' || '+00' FROM was_generated_by WHERE kind = 'write' ORDER BY host, path"));
    assertEquals(
        List.of(List.of("9000000001", "read")),
        rows(db, "SELECT inode, kind FROM used WHERE host = 'node17'"));
  }

  @Test
  void renameHalvesPairInEitherOrder(TestKafka kafka, TestDatabase db) throws Exception {
    String gpfs = kafka.createTopic("gpfs-moves", 1);
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    try (ConsumerHarness.Running s =
        ConsumerHarness.start(
            ConsumerHarness.settings(Source.SCALE, kafka, db, gpfs, db.jdbcUrl(), 50), store)) {
      // FROM then TO, in one batch.
      ConsumerHarness.sendRaw(
          kafka,
          gpfs,
          "c1.example",
          List.of(
              watch(
                  "IN_MOVED_FROM",
                  "node17",
                  "/gpfs/fs0/x.part",
                  501,
                  10,
                  "2026-11-20_11:00:00+0000",
                  7),
              watch(
                  "IN_MOVED_TO", "node17", "/gpfs/fs0/x", 501, 10, "2026-11-20_11:00:00+0000", 7)));
      // TO first, then FROM in a later batch; the combined event name in the other order too.
      ConsumerHarness.sendRaw(
          kafka,
          gpfs,
          "c1.example",
          List.of(
              watch(
                  "IN_ISDIR IN_MOVED_TO",
                  "node17",
                  "/gpfs/fs0/newdir",
                  502,
                  11,
                  "2026-11-20_11:00:01+0000",
                  8)));
      await(
          "the lone TO stored as pending",
          Duration.ofSeconds(60),
          () -> count(db, "SELECT count(*) FROM scale_moves WHERE cookie = 8") == 1);
      ConsumerHarness.sendRaw(
          kafka,
          gpfs,
          "c1.example",
          List.of(
              watch(
                  "IN_MOVED_FROM IN_ISDIR",
                  "node17",
                  "/gpfs/fs0/olddir",
                  502,
                  11,
                  "2026-11-20_11:00:01+0000",
                  8)));
      await(
          "both renames",
          Duration.ofSeconds(60),
          () -> count(db, "SELECT count(*) FROM was_derived_from WHERE kind = 'rename'") == 2);
    }
    assertEquals(
        List.of(
            List.of("/gpfs/fs0/newdir", "/gpfs/fs0/olddir", "502"),
            List.of("/gpfs/fs0/x", "/gpfs/fs0/x.part", "501")),
        rows(db, "SELECT path, src_path, inode FROM was_derived_from ORDER BY path"));
    assertEquals(4, count(db, "SELECT count(*) FROM scale_moves WHERE state = 'paired'"));
  }

  static ProvEvent started(String host, int serial, ProcessRef p) {
    return ev(
        host,
        serial,
        p.start(),
        new ProcessStarted(
            p,
            null,
            1,
            null,
            null,
            null,
            "/gpfs/fs0",
            "/usr/bin/python3",
            List.of("python3", "train.py"),
            "fork"));
  }

  static ProvEvent exited(String host, int serial, ProcessRef p, Instant when) {
    return ev(host, serial, when, new ProcessExited(p, 0, null, "exit_group"));
  }
}
