package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static io.ursprung.it.ConsumerHarness.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.rules.RuleEngine;
import io.ursprung.consumer.rules.RuleSettings;
import io.ursprung.db.rules.Alert;
import io.ursprung.db.rules.AlertQueries;
import io.ursprung.db.rules.TrackedContent;
import io.ursprung.db.rules.TrackedVersion;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rule action against a real PostgreSQL and real files, through the engine's work table and
 * action threads: DBLOAD idempotence, DBTRANSFER from a second database with its state advancing
 * only with the insert, LOGLOAD partial lines, restart and rotation, TRACK across three versions
 * and a rename, ALERT into the store and a file.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuleActionsIT {
  static final String HOST = "worker1";
  TestDatabase db;
  @TempDir Path dir;
  String sourceName;
  String sourceUrl;
  RuleEngine engine;
  final AtomicInteger ids = new AtomicInteger();

  @BeforeAll
  void setUp(TestDatabase db) throws Exception {
    this.db = db;
    sourceName = "ursprung_it_rules_src_" + UUID.randomUUID().toString().substring(0, 8);
    exec(db, "CREATE DATABASE " + sourceName);
    sourceUrl = db.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + sourceName + "$1");
    exec(
        db,
        "CREATE TABLE eval_results (path text, time timestamptz, model text, metric text,"
            + " value double precision)",
        "CREATE TABLE scheduler_jobs (job_id integer PRIMARY KEY, submitted_at timestamptz,"
            + " user_name text CHECK (user_name <> 'bad'))",
        "CREATE TABLE training_metrics (log_path text, logged_at timestamp, epoch integer,"
            + " loss double precision)",
        "CREATE TABLE model_versions (host text, path text, inode bigint, time timestamptz,"
            + " commit_id text)");
  }

  @AfterAll
  void dropSource() throws Exception {
    exec(db, "DROP DATABASE IF EXISTS " + sourceName + " WITH (FORCE)");
  }

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  static void exec(TestDatabase db, String... sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  void execSource(String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(sourceUrl, db.user(), db.password());
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  RuleEngine start(String rules) throws Exception {
    Path file = dir.resolve("rules-" + ids.incrementAndGet() + ".rules");
    Files.writeString(file, rules);
    Map<String, RuleSettings.DbAlias> aliases =
        Map.of(
            "prov", new RuleSettings.DbAlias("prov", db.jdbcUrl(), db.user(), db.password()),
            "src", new RuleSettings.DbAlias("src", sourceUrl, db.user(), db.password()));
    engine =
        RuleEngine.start(
            RuleSettings.of(file, aliases, dir.resolve("default-repo")),
            db.jdbcUrl(),
            db.user(),
            db.password());
    return engine;
  }

  /** Submits an event and waits until all rule work is finished (done, failed or cancelled). */
  String submit(Map<String, Object> fields) throws Exception {
    String id = "it-" + ids.incrementAndGet();
    Map<String, Object> f = new LinkedHashMap<>(fields);
    f.put("id", id);
    f.put("host", HOST);
    f.putIfAbsent("time", Instant.now().toString());
    engine.submit(f, HOST, Instant.now());
    awaitIdle();
    return id;
  }

  void awaitIdle() throws Exception {
    await(
        "rule work finished",
        Duration.ofSeconds(60),
        () -> count(db, "SELECT count(*) FROM rule_work WHERE status = 'pending'") == 0);
  }

  static Map<String, Object> closeWrite(Path p) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "file.access");
    m.put("op", "close");
    m.put("write", true);
    m.put("path", p.toString());
    m.put("pid", 4242L);
    m.put("device", "8:1");
    m.put("inode", ((Number) Files.getAttribute(p, "unix:ino")).longValue());
    return m;
  }

  static void append(Path p, String s) throws Exception {
    Files.writeString(
        p, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void alertGoesToTheStoreOnceAndToAFile() throws Exception {
    Path log = dir.resolve("alerts/alerts.log");
    start(
        "type = process.exec && exe @ \"/(tmp|dev/shm)/.*\" -> ALERT \"binary from tmp\"\n"
            + "type = process.exec && exe @ \"/tmp/.*\" -> ALERT \"again\" INTO FILE "
            + log
            + "\n");
    Map<String, Object> exec = new LinkedHashMap<>();
    exec.put("type", "process.exec");
    exec.put("exe", "/tmp/evil");
    exec.put("pid", 77L);
    String id = submit(exec);
    exec.put("exe", "/usr/bin/ls");
    submit(exec);
    List<Alert> alerts = new AlertQueries(db.dataSource()).list(null, HOST, 100, 0);
    assertEquals(2, alerts.stream().filter(a -> a.eventId().equals(id)).count(), alerts.toString());
    assertEquals(
        List.of("again", "binary from tmp"), alerts.stream().map(Alert::message).sorted().toList());
    assertEquals(77, alerts.get(0).pid());
    List<String> lines = Files.readAllLines(log);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).endsWith(",process.exec,77,,again"), lines.get(0));
  }

  @Test
  void dbLoadLoadsEachFileVersionOnce() throws Exception {
    start(
        "type = file.access && op = close && write = true && path @ \".*/eval\\.csv\" \\\n"
            + "  -> DBLOAD path INTO DB prov USING eval_results/path,time,model,metric,value\n");
    Path csv = dir.resolve("run1/eval.csv");
    Files.createDirectories(csv.getParent());
    // Header names the columns in another order: cells are taken by name.
    Files.writeString(
        csv, "metric,model,value\nacc,resnet,0.91\nloss,resnet,0.2\n\"f1, macro\",resnet,0.88\n");
    submit(closeWrite(csv));
    assertEquals(3, count(db, "SELECT count(*) FROM eval_results"));
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM eval_results WHERE model = 'resnet' AND metric = 'f1, macro'"
                + " AND value = 0.88 AND path = ?",
            csv.toString()));
    // The same content again (another close-write event): nothing changes.
    submit(closeWrite(csv));
    assertEquals(3, count(db, "SELECT count(*) FROM eval_results"));
    // A new version is loaded whole.
    append(csv, "prec,resnet,0.7\n");
    submit(closeWrite(csv));
    assertEquals(7, count(db, "SELECT count(*) FROM eval_results"));
    assertEquals(
        0,
        count(
            db,
            "SELECT count(*) FROM rule_work WHERE status <> 'done' AND action_name = 'DBLOAD'"));
  }

  @Test
  void dbTransferCopiesNewRowsAndItsStateMovesOnlyWithTheInsert() throws Exception {
    execSource(
        "CREATE TABLE jobs (job_id integer, submitted_at timestamptz, user_name text,"
            + " partition text)",
        "INSERT INTO jobs VALUES (1, '2026-01-01 10:00:00+00', 'ann', 'gpu'),"
            + " (2, '2026-01-01 11:00:00+00', 'bob', 'cpu'),"
            + " (3, '2026-01-01 12:00:00+00', 'cid', 'gpu')");
    start(
        "type = job && stage = finished \\\n"
            + "  -> DBTRANSFER \"select job_id, submitted_at, user_name FROM jobs WHERE partition"
            + " = 'gpu'\" / submitted_at \\\n"
            + "     FROM src INTO DB prov USING scheduler_jobs/job_id,submitted_at,user_name\n");
    Map<String, Object> job = Map.of("type", "job", "stage", "finished", "jobId", "j1");
    submit(job);
    assertEquals(
        List.of(List.of("1"), List.of("3")),
        rows(db, "SELECT job_id FROM scheduler_jobs ORDER BY 1"));
    submit(job);
    assertEquals(2, count(db, "SELECT count(*) FROM scheduler_jobs"));
    String state =
        rows(db, "SELECT state FROM rule_state WHERE target = 'dbtransfer#0'").get(0).get(0);
    assertTrue(state.startsWith("2026-01-01 12:00:00"), state);

    // A row the target rejects: nothing is inserted and the state stays where it was.
    execSource(
        "INSERT INTO jobs VALUES (4, '2026-01-02 10:00:00+00', 'dan', 'gpu'),"
            + " (5, '2026-01-02 11:00:00+00', 'bad', 'gpu')");
    String id = "it-" + ids.incrementAndGet();
    Map<String, Object> f = new LinkedHashMap<>(job);
    f.put("id", id);
    f.put("host", HOST);
    engine.submit(f, HOST, Instant.now());
    await(
        "a failed attempt",
        Duration.ofSeconds(30),
        () ->
            count(db, "SELECT count(*) FROM rule_work WHERE event_id = ? AND attempts > 0", id)
                == 1);
    assertEquals(2, count(db, "SELECT count(*) FROM scheduler_jobs"));
    assertEquals(
        state,
        rows(db, "SELECT state FROM rule_state WHERE target = 'dbtransfer#0'").get(0).get(0));
    // Fixed at the source: the retry copies both new rows.
    execSource("UPDATE jobs SET user_name = 'eve' WHERE job_id = 5");
    awaitIdle();
    assertEquals(
        List.of(List.of("1"), List.of("3"), List.of("4"), List.of("5")),
        rows(db, "SELECT job_id FROM scheduler_jobs ORDER BY 1"));
    assertNotEquals(
        state,
        rows(db, "SELECT state FROM rule_state WHERE target = 'dbtransfer#0'").get(0).get(0));
  }

  static final String LOGLOAD_RULE =
      "type = file.access && op = close && path @ \".*/train\\.log\" \\\n"
          + "  -> LOGLOAD path MATCH \",epoch,\" FIELDS path, 0/-1, 2, 4 DELIM \",\" \\\n"
          + "     INTO DB prov USING training_metrics/log_path,logged_at,epoch,loss\n";

  List<List<String>> metrics() {
    return rows(
        db, "SELECT epoch::text, loss::text, logged_at::text FROM training_metrics ORDER BY epoch");
  }

  @Test
  void logLoadReadsPartialLinesOnceResumesAfterRestartAndKeepsTheRotatedTail() throws Exception {
    Path log = dir.resolve("runs/r1/train.log");
    Files.createDirectories(log.getParent());
    start(LOGLOAD_RULE);
    append(log, "2026-11-20 09:00:00,epoch,1,loss,0.9\nnoise line\n2026-11-20 09:01:00,epoch,2,lo");
    submit(closeWrite(log));
    assertEquals(List.of(List.of("1", "0.9", "2026-11-20 08:00:00")), metrics());

    // The rest of the partial line arrives: it is read whole, once.
    append(log, "ss,0.8\n");
    submit(closeWrite(log));
    assertEquals(2, metrics().size());
    assertEquals(List.of("2", "0.8", "2026-11-20 08:01:00"), metrics().get(1));

    // Restart: a new engine continues from the committed offset.
    engine.close();
    append(log, "2026-11-20 09:02:00,epoch,3,loss,0.7\n");
    start(LOGLOAD_RULE);
    submit(closeWrite(log));
    assertEquals(List.of("1", "2", "3"), metrics().stream().map(r -> r.get(0)).toList());

    // Rotation: epoch 4 is written to the old file, which is renamed before any event; epoch 5
    // to the new file. Both are loaded, the old tail first.
    append(log, "2026-11-20 09:03:00,epoch,4,loss,0.6\n");
    Files.move(log, log.resolveSibling("train.log.1"));
    append(log, "2026-11-20 09:04:00,epoch,5,loss,0.5\n2026-11-20 09:05:00,epoch,6\n");
    submit(closeWrite(log));
    assertEquals(List.of("1", "2", "3", "4", "5"), metrics().stream().map(r -> r.get(0)).toList());
    // The short line (epoch 6 without a loss) was skipped, not fatal.
    assertEquals(
        0,
        count(
            db,
            "SELECT count(*) FROM rule_work WHERE action_name = 'LOGLOAD' AND status <> 'done'"));
    String state =
        rows(db, "SELECT state FROM rule_state WHERE target = ?", "logload:" + log).get(0).get(0);
    assertEquals(
        "offset=" + Files.size(log) + " inode=" + Files.getAttribute(log, "unix:ino"), state);
  }

  @Test
  void logLoadKeepsItsStateForALogWithAVeryLongPath() throws Exception {
    // Directories of random hex names (they do not compress) down to a 3,500-byte path: its state
    // key would not fit a B-tree entry of rule_state's primary key (Outputs.stateKey).
    Random random = new Random(7);
    Path parent = dir.resolve("runs");
    while (parent.toString().length() < 3500 - 200 - 10) {
      StringBuilder name = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        name.append(Character.forDigit(random.nextInt(16), 16));
      }
      parent = parent.resolve(name.toString());
    }
    Files.createDirectories(parent);
    Path log = parent.resolve("train.log");
    assertTrue(log.toString().length() > 3200, log.toString());
    // The other LOGLOAD test reads all of training_metrics: this one leaves it empty.
    clearMetrics();
    try {
      loadALongLog(log);
    } finally {
      clearMetrics();
    }
  }

  void clearMetrics() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM training_metrics");
    }
  }

  void loadALongLog(Path log) throws Exception {
    start(LOGLOAD_RULE);
    append(log, "2026-11-20 09:00:00,epoch,1,loss,0.9\n");
    submit(closeWrite(log));
    assertEquals(List.of(List.of("1", "0.9", "2026-11-20 08:00:00")), metrics());
    // The next close reads on from the stored offset: epoch 1 is not loaded twice.
    append(log, "2026-11-20 09:01:00,epoch,2,loss,0.8\n");
    submit(closeWrite(log));
    assertEquals(List.of("1", "2"), metrics().stream().map(r -> r.get(0)).toList());
    assertEquals(
        0,
        count(
            db,
            "SELECT count(*) FROM rule_work WHERE action_name = 'LOGLOAD' AND status <> 'done'"));
    // The state row is found by the store's path_key of the key, the same key in SQL as in Java.
    assertEquals(
        List.of(
            List.of("offset=" + Files.size(log) + " inode=" + Files.getAttribute(log, "unix:ino"))),
        rows(db, "SELECT state FROM rule_state WHERE target = path_key(?)", "logload:" + log));
  }

  @Test
  void trackVersionsThreeWritesAndARenameInOneHistory() throws Exception {
    Path repo = dir.resolve("track-repo.git");
    start(
        "type = file.access && (op = close && write = true || op = rename) \\\n"
            + "  -> TRACK \".*\\.py\" AT "
            + repo
            + " INTO DB prov USING model_versions/host,path,inode,time,commit_id\n");
    Path src = dir.resolve("proj/model.py");
    Files.createDirectories(src.getParent());
    Files.writeString(src, "a = 1\nb = 2\n");
    long inode = ((Number) Files.getAttribute(src, "unix:ino")).longValue();
    String e1 = submit(closeWrite(src));
    Files.writeString(src, "a = 1\nb = 3\n");
    String e2 = submit(closeWrite(src));
    Path moved = dir.resolve("proj/model_v2.py");
    Files.move(src, moved);
    Map<String, Object> rename = new LinkedHashMap<>();
    rename.put("type", "file.access");
    rename.put("op", "rename");
    rename.put("path", src.toString());
    rename.put("targetPath", moved.toString());
    rename.put("device", "8:1");
    rename.put("inode", inode);
    String e3 = submit(rename);
    Files.writeString(moved, "a = 1\nb = 3\nc = 4\n");
    String e4 = submit(closeWrite(moved));

    TrackedContent tc = new TrackedContent(db.dataSource());
    List<TrackedVersion> v = tc.versions(HOST, "8:1", inode);
    assertEquals(List.of(e1, e2, e3, e4), v.stream().map(TrackedVersion::eventId).toList());
    assertEquals(moved.toString(), v.get(3).path());
    assertEquals(src.toString(), v.get(0).path());
    // The rename kept the content: same commit as the second version; three commits in all.
    assertEquals(v.get(1).commitId(), v.get(2).commitId());
    assertEquals(3, v.stream().map(TrackedVersion::commitId).distinct().count());
    assertEquals(
        "a = 1\nb = 2\n", new String(tc.content(v.get(0), 1 << 20), StandardCharsets.UTF_8));
    assertEquals(
        "a = 1\nb = 3\nc = 4\n", new String(tc.content(v.get(3), 1 << 20), StandardCharsets.UTF_8));
    String d12 = tc.diff(v.get(0), v.get(1));
    assertTrue(d12.contains("-b = 2") && d12.contains("+b = 3"), d12);
    String d34 = tc.diff(v.get(2), v.get(3));
    assertTrue(d34.contains("+c = 4") && !d34.contains("-b = 3"), d34);
    String first = tc.diff(null, v.get(0));
    assertTrue(first.contains("+a = 1"), first);
    assertEquals(
        4,
        count(db, "SELECT count(*) FROM model_versions WHERE inode = ? AND host = ?", inode, HOST));
    assertEquals(
        v.get(3).commitId(),
        rows(
                db,
                "SELECT commit_id FROM model_versions WHERE path = ? ORDER BY time DESC LIMIT 1",
                moved.toString())
            .get(0)
            .get(0));
    // A file outside the path regex is not tracked.
    Path other = dir.resolve("proj/notes.txt");
    Files.writeString(other, "x");
    submit(closeWrite(other));
    assertEquals(4, count(db, "SELECT count(*) FROM model_versions"));
  }

  @Test
  void aBadRulesFileOnReloadKeepsTheRulesInForce() throws Exception {
    RuleEngine e = start("type = job -> ALERT \"job\"\n");
    Path file = dir.resolve("rules-" + ids.get() + ".rules");
    Files.writeString(file, "type = job -> ALERT \"job\"\ntype == job -> ALERT \"x\"\n");
    var r = e.reload();
    assertTrue(!r.applied() && !r.errors().isEmpty(), r.toString());
    assertEquals(1, e.rules().rules().size());
  }
}
