package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.ConsumerCommand;
import io.ursprung.consumer.Source;
import io.ursprung.db.Database;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.embedded.EmbeddedKafka;
import io.ursprung.embedded.EmbeddedPostgres;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once effect under failure. A clean run of a synthetic stream gives the reference row
 * counts; the same stream (under another host name) is then stored (1) by a consumer in its own JVM
 * that is killed with SIGKILL in the middle and restarted, (2) by a consumer whose PostgreSQL
 * connections are cut with pg_terminate_backend again and again, (3) by a consumer whose PostgreSQL
 * server (a private one: the machine's shared server cannot be restarted under other tests) is shut
 * down mid-stream and started again, (4) by a consumer whose Kafka broker (its own too) is shut
 * down mid-stream and started again, and (5) by a consumer whose database's disk fills up
 * mid-stream and is freed later. Every table must end with exactly the reference counts.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerCrashIT {
  static final int ROUNDS = 3000;
  Map<String, Long> reference;

  @BeforeAll
  void cleanRun(TestKafka kafka, TestDatabase db) throws Exception {
    List<ProvEvent> events = Workload.events("clean01", ROUNDS);
    String topic = kafka.createTopic("auditd-clean", 2);
    try (ConsumerHarness.Running c =
        ConsumerHarness.start(
            ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 2000),
            new GraphStore(db.dataSource(), Duration.ofSeconds(1)))) {
      ConsumerHarness.send(kafka, topic, events);
      await(
          "clean run",
          Duration.ofSeconds(180),
          () ->
              count(db, "SELECT count(*) FROM event_archive WHERE host = 'clean01'")
                  == events.size());
    }
    reference = ConsumerHarness.countsForHost(db, "clean01");
  }

  @Test
  void sigkillMidStreamThenRestartStoresExactlyTheSame(
      TestKafka kafka, TestDatabase db, @TempDir Path dir) throws Exception {
    List<ProvEvent> events = Workload.events("crash01", ROUNDS);
    String topic = kafka.createTopic("auditd-crash", 2);
    ConsumerHarness.send(kafka, topic, events);
    // The log and the copied jars (about 80 MB) in a folder JUnit removes afterwards.
    Path log = dir.resolve("consumer-crash.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                privateClassPath(dir.resolve("cp")),
                ConsumerCommand.class.getName(),
                "--source",
                "auditd",
                "--set",
                "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "--set",
                "kafka.topic=" + topic,
                "--set",
                "kafka.group.id=crash-" + topic,
                "--set",
                "db.url=" + db.jdbcUrl(),
                "--set",
                "db.user=" + db.user(),
                "--set",
                "batch.size=300",
                "--set",
                "metrics.interval.ms=1000"));
    if (db.password() != null) {
      cmd.addAll(List.of("--set", "db.password=" + db.password()));
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process first = pb.start();
    try {
      await(
          "part of the stream stored",
          Duration.ofSeconds(120),
          () ->
              count(db, "SELECT count(*) FROM event_archive WHERE host = 'crash01'")
                  > events.size() / 3);
      first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no final commit
      first.waitFor();
      long atKill = count(db, "SELECT count(*) FROM event_archive WHERE host = 'crash01'");
      assertTrue(atKill < events.size(), "killed too late to prove anything: " + atKill);
    } finally {
      first.destroyForcibly();
    }
    Process second = pb.start();
    try {
      await(
          "the rest stored after the restart",
          Duration.ofSeconds(180),
          () ->
              count(db, "SELECT count(*) FROM event_archive WHERE host = 'crash01'")
                  == events.size());
      Thread.sleep(1500); // let a late duplicate batch, if any, land before counting
    } finally {
      second.destroy();
      second.waitFor();
    }
    assertEquals(reference, ConsumerHarness.countsForHost(db, "crash01"), Files.readString(log));
  }

  /**
   * The test class path with every jar copied to a private folder: the child JVM loads classes
   * lazily, and a jar in the shared ~/.m2 re-installed by a parallel build mid-test would otherwise
   * kill it with NoClassDefFoundError. The copies go to {@code dir}.
   */
  static String privateClassPath(Path dir) throws java.io.IOException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Files.createDirectories(dir);
    List<String> out = new ArrayList<>();
    int i = 0;
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path copy = dir.resolve((i++) + "-" + p.getFileName());
        Files.copy(p, copy);
        out.add(copy.toString());
      } else {
        out.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  @Test
  void connectionsCutMidStreamStoreExactlyTheSame(TestKafka kafka, TestDatabase db)
      throws Exception {
    List<ProvEvent> events = Workload.events("term01", ROUNDS);
    String topic = kafka.createTopic("auditd-term", 2);
    String url =
        db.jdbcUrl()
            + (db.jdbcUrl().contains("?") ? "&" : "?")
            + "ApplicationName=ursprung-it-victim";
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger cut = new AtomicInteger();
    Thread killer =
        new Thread(
            () -> {
              while (!done.get()) {
                try (Connection c = db.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                  var rs =
                      s.executeQuery(
                          "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ursprung-it-victim'");
                  rs.next();
                  cut.addAndGet(rs.getInt(1));
                  Thread.sleep(400);
                } catch (Exception e) {
                  return;
                }
              }
            },
            "pg-terminator");
    try (io.ursprung.db.Database victim =
            io.ursprung.db.Database.open(url, db.user(), db.password(), "victim", 3);
        ConsumerHarness.Running c =
            ConsumerHarness.start(
                ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, url, 500),
                new GraphStore(victim.dataSource(), Duration.ofSeconds(1)))) {
      ConsumerHarness.send(kafka, topic, events);
      killer.start();
      await(
          "stream stored despite cut connections",
          Duration.ofSeconds(240),
          () ->
              count(db, "SELECT count(*) FROM event_archive WHERE host = 'term01'")
                  == events.size());
      done.set(true);
      killer.join();
      assertTrue(cut.get() > 0, "no connection was cut");
      assertTrue(c.metrics().retries() > 0, "the consumer never had to retry");
    } finally {
      done.set(true);
    }
    assertEquals(reference, ConsumerHarness.countsForHost(db, "term01"));
  }

  /**
   * A real PostgreSQL restart in the middle of the stream. The machine's shared server cannot be
   * restarted under the other tests, so the consumer writes to a server of this test's own: the
   * all-in-one master's PostgreSQL (EmbeddedPostgres, real server binaries from Maven Central) in a
   * temporary directory. It is shut down while the consumer is writing, left down for a few
   * seconds, and started again on the same data; the consumer must wait, retry and end with exactly
   * the clean run's rows.
   */
  @Test
  void postgresRestartedMidStreamStoresExactlyTheSame(TestKafka kafka) throws Exception {
    List<ProvEvent> events = Workload.events("restart01", ROUNDS);
    String topic = kafka.createTopic("auditd-restart", 2);
    Path dir = Files.createTempDirectory("ursprung-restart-pg-");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    EmbeddedPostgres pg = EmbeddedPostgres.start(dir, port);
    try {
      String url = pg.jdbcUrl();
      try (Database store = Database.open(url, EmbeddedPostgres.USER, null, "restart", 3)) {
        store.migrate();
        DataSource ds = store.dataSource();
        long atStop;
        try (ConsumerHarness.Running c =
            ConsumerHarness.start(
                ConsumerHarness.settings(
                    Source.AUDITD, kafka, topic, url, EmbeddedPostgres.USER, null, 500),
                new GraphStore(ds, Duration.ofSeconds(1)))) {
          ConsumerHarness.send(kafka, topic, events);
          String stored = "SELECT count(*) FROM event_archive WHERE host = 'restart01'";
          await(
              "part of the stream stored",
              Duration.ofSeconds(120),
              () -> count(ds, stored) > events.size() / 4);
          atStop = count(ds, stored);
          pg.close(); // pg_ctl stop -m fast: every session of the consumer is cut
          Thread.sleep(3000); // the consumer finds the server gone and backs off
          pg = EmbeddedPostgres.start(dir, port);
          await(
              "the rest stored after the restart",
              Duration.ofSeconds(180),
              () -> count(ds, stored) == events.size());
          Thread.sleep(1500); // let a late duplicate batch, if any, land before counting
          assertTrue(atStop < events.size(), "stopped too late to prove anything: " + atStop);
          assertTrue(c.metrics().retries() > 0, "the consumer never had to retry");
        }
        assertEquals(reference, ConsumerHarness.countsForHost(ds, "restart01"));
      }
    } finally {
      pg.close();
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Kafka down in the middle of the stream: the consumer reads from a broker of this test's own
   * (the same embedded KRaft broker as the all-in-one master's), which is shut down after part of
   * the stream is stored and started again on the same data and port a few seconds later. The
   * consumer must pick up where its committed offsets say and end with exactly the clean run's
   * rows.
   */
  @Test
  void kafkaRestartedMidStreamStoresExactlyTheSame(TestDatabase db) throws Exception {
    List<ProvEvent> events = Workload.events("kafka01", ROUNDS);
    Path dir = Files.createTempDirectory("ursprung-restart-kafka-");
    EmbeddedKafka broker = EmbeddedKafka.start(dir, 0, "127.0.0.1");
    int port = broker.port();
    String topic = "auditd-kafka-restart";
    try {
      // The topic is created by the first send (the broker auto-creates topics).
      ConsumerHarness.send(TestKafka.producerProperties(broker.bootstrapServers()), topic, events);
      String stored = "SELECT count(*) FROM event_archive WHERE host = 'kafka01'";
      long atStop;
      try (ConsumerHarness.Running c =
          ConsumerHarness.start(
              ConsumerHarness.settings(
                  Source.AUDITD,
                  broker.bootstrapServers(),
                  topic,
                  db.jdbcUrl(),
                  db.user(),
                  db.password(),
                  300),
              new GraphStore(db.dataSource(), Duration.ofSeconds(1)))) {
        await(
            "part of the stream stored",
            Duration.ofSeconds(120),
            () -> count(db, stored) > events.size() / 4);
        broker.close();
        atStop = count(db, stored);
        Thread.sleep(3000); // the consumer finds the broker gone
        assertTrue(
            count(db, stored) < events.size(),
            "the whole stream was fetched before the broker stopped: nothing proven");
        broker = EmbeddedKafka.start(dir, port, "127.0.0.1");
        await(
            "the rest stored after the broker came back",
            Duration.ofSeconds(180),
            () -> count(db, stored) == events.size());
        Thread.sleep(1500); // let a late duplicate batch, if any, land before counting
      }
      assertTrue(atStop < events.size(), "stopped too late to prove anything: " + atStop);
      assertEquals(reference, ConsumerHarness.countsForHost(db, "kafka01"));
    } finally {
      broker.close();
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The database's disk full in the middle of the stream (BRIEF §9: a full disk loses no event and
   * duplicates none). The database lives on a small disk of its own (SmallDisk: a tmpfs tablespace
   * of the machine's server), which is filled with a ballast file once the first batches are
   * stored. PostgreSQL then fails every write that needs a new page (SQLSTATE 53100); the consumer
   * must treat that as an outage, not as bad data: back off and retry, dead-letter nothing, and
   * store the rest once the ballast is removed.
   */
  @Test
  void diskFullMidStreamThenFreedStoresExactlyTheSame(TestKafka kafka, TestDatabase db)
      throws Exception {
    List<ProvEvent> events = Workload.events("full01", ROUNDS);
    String topic = kafka.createTopic("auditd-full", 2);
    try (SmallDisk disk = SmallDisk.create(db, 128);
        Database store = Database.open(disk.jdbcUrl(), db.user(), db.password(), "full", 3)) {
      store.migrate();
      DataSource ds = store.dataSource();
      String stored = "SELECT count(*) FROM event_archive WHERE host = 'full01'";
      long stalled;
      try (ConsumerHarness.Running c =
          ConsumerHarness.start(
              ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, disk.jdbcUrl(), 500),
              new GraphStore(ds, Duration.ofSeconds(1)))) {
        ConsumerHarness.send(kafka, topic, events);
        await("the first batches stored", Duration.ofSeconds(120), () -> count(ds, stored) > 0);
        disk.fill();
        await(
            "the consumer meeting the full disk",
            Duration.ofSeconds(120),
            () -> c.metrics().retries() > 0);
        Thread.sleep(2000); // retrying, not storing
        stalled = count(ds, stored);
        assertTrue(
            stalled < events.size(),
            "the whole stream was stored before the disk filled up: nothing proven");
        assertEquals(0, c.metrics().deadLettered(), "events were dead-lettered for a full disk");
        disk.makeRoom();
        await(
            "the rest stored once the disk had room",
            Duration.ofSeconds(180),
            () -> count(ds, stored) == events.size());
        Thread.sleep(1500); // let a late duplicate batch, if any, land before counting
        assertEquals(0, c.metrics().deadLettered(), "events were dead-lettered for a full disk");
      }
      assertEquals(reference, ConsumerHarness.countsForHost(ds, "full01"));
    }
  }
}
