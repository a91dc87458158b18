package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.backend.Backend;
import io.ursprung.consumer.ConsumerLoop;
import io.ursprung.consumer.JobsHandler;
import io.ursprung.consumer.Metrics;
import io.ursprung.consumer.Source;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.jobs.JdbcJobQueries;
import io.ursprung.db.jobs.JobAttribute;
import io.ursprung.db.jobs.JobDetail;
import io.ursprung.db.jobs.JobFilter;
import io.ursprung.db.jobs.JobStore;
import io.ursprung.db.jobs.JobSummary;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.query.JdbcProvenanceQueries;
import io.ursprung.db.query.RunComparison;
import io.ursprung.db.query.RunSummary;
import io.ursprung.events.EventCodec;
import io.ursprung.provd.Provd;
import io.ursprung.provd.ProvdConfig;
import io.ursprung.provd.job.JobCommand;
import io.ursprung.provd.job.JobRecordWriter;
import io.ursprung.provd.nativeaccess.LinuxNative;
import io.ursprung.provd.spool.JobRecord;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Job audit end to end: {@code ursprung job} writes records into a spool, provd checks their owners
 * and publishes them, the jobs consumer stores them insert-only; accounting from sacct output joins
 * the right one of two jobs that share a local id; the job's processes become a run; the database
 * itself refuses UPDATE/DELETE to the loader and INSERT to a viewer; the API answers 403 to whoever
 * does not own a job.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobAuditIT {
  static final String A = "c1:slurm:4711:2026-11-20T08:00:00Z";
  static final String B = "c1:slurm:4711:2026-11-20T10:00:00Z";
  static final String C = "c1:slurm:4711:2026-11-20T12:30:00Z";
  static final String ADMIN_TOKEN = "it-admin-token-jobs-0123456789";

  Path dir;
  TestDatabase db;
  Path spool;
  String me;
  boolean root;
  Provd provd;
  ConsumerLoop loop;
  Thread consumerThread;
  final Viewer admin = new Viewer(0, "admin", Role.ADMIN, Set.of(), Set.of());

  @BeforeAll
  void start(TestKafka kafka, TestDatabase db) throws Exception {
    this.db = db;
    dir = Files.createTempDirectory("job-audit-it");
    String topic = kafka.createTopic("jobs-audit", 1);
    spool = dir.resolve("spool");
    Path secret = dir.resolve("provd.secret");
    Files.writeString(secret, "job-audit-it-secret-0123456789");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    me = Files.getOwner(dir).getName();
    root = me.equals("root");
    Map<String, String> keys = new HashMap<>();
    keys.put(ProvdConfig.HOST, "login-it");
    keys.put(ProvdConfig.CONTROL_ADDRESS, "127.0.0.1");
    keys.put(ProvdConfig.CONTROL_PORT, "0");
    keys.put(ProvdConfig.SECRET_FILE, secret.toString());
    keys.put(ProvdConfig.SPOOL_DIR, spool.toString());
    keys.put(ProvdConfig.SPOOL_RESCAN, "200");
    keys.put(ProvdConfig.JOBS_TOPIC, topic);
    keys.put(ProvdConfig.BOOTSTRAP, kafka.bootstrapServers());
    // This test's account plays the resource manager's: it may upload accounting.
    keys.put(ProvdConfig.SPOOL_TRUSTED, me);
    provd = Provd.start(ProvdConfig.DEF.parse(Map.of(), Map.of(), keys), LinuxNative.load());
    Files.createDirectories(spool);

    loop =
        new ConsumerLoop(
            ConsumerHarness.settings(Source.JOBS, kafka, db, topic, db.jdbcUrl(), 100),
            new JobsHandler(new EventCodec(), new JobStore(db.dataSource())),
            new JobsHandler(new EventCodec(), new JobStore(db.dataSource())),
            new Metrics(),
            null);
    consumerThread = new Thread(loop::run, "it-jobs-consumer");
    consumerThread.setDaemon(true);
    consumerThread.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (loop != null) {
      loop.stop();
      consumerThread.join(30_000);
    }
    if (provd != null) {
      provd.close();
    }
    if (dir != null) {
      try (var all = Files.walk(dir)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void job(String... args) {
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = JobCommand.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(1, List.of("--spool", spool.toString(), "-q"));
    assertEquals(0, cl.execute(all.toArray(String[]::new)), err.toString());
  }

  /** Writes a record owned by uid 65534 (nobody), as a job of another user would. */
  private void asNobody(JobRecord r) throws Exception {
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Path f = JobRecordWriter.write(staging, r);
    UserPrincipal nobody =
        f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(f, nobody);
    Files.move(f, spool.resolve(f.getFileName()));
  }

  @Test
  void lifecycleThroughSpoolProvdKafkaAndConsumer() throws Exception {
    // Job A and job B share Slurm id 4711 (reused two hours later); C reuses it again and has no
    // accounting yet.
    job(
        "initialized",
        "--job-id",
        A,
        "--time",
        "2026-11-20T08:00:00Z",
        "--resource-manager",
        "slurm",
        "--client-host",
        "gateway-1",
        "--client-submission-id",
        "gw-req-17",
        "--gateway-user",
        "carol",
        "--description",
        "train.sh");
    job("queued", "--job-id", A, "--time", "2026-11-20T08:00:01Z", "--local-id", "4711");
    job(
        "started",
        "--job-id",
        A,
        "--time",
        "2026-11-20T08:00:05Z",
        "--executing-host",
        "node-it",
        "--session-id",
        "5000");
    job(
        "finished",
        "--job-id",
        A,
        "--time",
        "2026-11-20T08:10:02Z",
        "--lrm-finish-time",
        "2026-11-20T08:10:00Z",
        "--state",
        "SUCCESSFUL_COMPLETION",
        "--exit-code",
        "0");
    job(
        "initialized",
        "--job-id",
        B,
        "--time",
        "2026-11-20T10:00:00Z",
        "--resource-manager",
        "slurm");
    job("queued", "--job-id", B, "--time", "2026-11-20T10:00:01Z", "--local-id", "4711");
    job(
        "started",
        "--job-id",
        B,
        "--time",
        "2026-11-20T10:00:04Z",
        "--executing-host",
        "node-it",
        "--session-id",
        "7000");
    job(
        "finished",
        "--job-id",
        B,
        "--time",
        "2026-11-20T11:00:05Z",
        "--state",
        "FAIL_RESOURCE_LIMIT",
        "--exit-code",
        "137");
    job("queued", "--job-id", C, "--time", "2026-11-20T12:30:01Z", "--local-id", "4711");
    Path sacct = dir.resolve("sacct.txt");
    Files.writeString(
        sacct,
        "JobID|User|Submit|Start|End|Elapsed|UserCPU|SystemCPU|State\n"
            + "4711|"
            + me
            + "|2026-11-20T08:00:01|2026-11-20T08:00:05|2026-11-20T08:10:00|00:09:55|01:00.500"
            + "|00:02.250|COMPLETED\n"
            + "4711.batch||2026-11-20T08:00:05|2026-11-20T08:00:05|2026-11-20T08:10:00|00:09:55"
            + "|01:00.500|00:02.250|COMPLETED\n"
            + "4711|"
            + me
            + "|2026-11-20T10:00:01|2026-11-20T10:00:04|2026-11-20T11:00:04|01:00:00|00:00"
            + "|00:00|TIMEOUT\n"
            + "4711.batch||2026-11-20T10:00:04|2026-11-20T10:00:04|2026-11-20T11:00:04"
            + "|01:00:00|30:00|00:10|CANCELLED\n");
    job("import-accounting", "--zone", "UTC", sacct.toString());
    int expected = 11;
    if (root) {
      // Someone else's file naming this user, and accounting from an untrusted account.
      asNobody(new JobRecord(A, "cancelled", me, Instant.now(), Map.of("reason", "USER")));
      asNobody(
          new JobRecord(
              "slurm:1:x",
              "accounting",
              "nobody",
              Instant.now(),
              Map.of(
                  "localJobId",
                  "4711",
                  "queuedTime",
                  "2026-11-20T12:30:01Z",
                  "userCpuSeconds",
                  "99999")));
    }

    await(
        "every owned record stored",
        Duration.ofSeconds(90),
        () ->
            count(
                    db,
                    // Only this test's jobs: the other tests of the class add their own.
                    "SELECT (SELECT count(*) FROM job_initialized WHERE job_id LIKE 'c1:%')"
                        + " + (SELECT count(*) FROM job_queued WHERE job_id LIKE 'c1:%')"
                        + " + (SELECT count(*) FROM job_started WHERE job_id LIKE 'c1:%')"
                        + " + (SELECT count(*) FROM job_finished WHERE job_id LIKE 'c1:%')"
                        + " + (SELECT count(*) FROM job_accounting)")
                == expected);
    try (var files = Files.list(spool)) {
      assertEquals(
          List.of("rejected"),
          files.map(p -> p.getFileName().toString()).toList(),
          "uploaded files are deleted");
    }
    if (root) {
      List<String> reasons = new ArrayList<>();
      try (var files = Files.list(spool.resolve("rejected"))) {
        for (Path p : files.filter(p -> p.toString().endsWith(".reason")).toList()) {
          reasons.add(Files.readString(p));
        }
      }
      assertEquals(2, reasons.size(), reasons.toString());
      assertTrue(reasons.stream().anyMatch(r -> r.contains("owner mismatch")), reasons.toString());
      assertTrue(
          reasons.stream().anyMatch(r -> r.contains("accepted only from trusted")),
          reasons.toString());
      assertTrue(provd.metricsLine().contains("rejected=2"), provd.metricsLine());
      assertEquals(0, count(db, "SELECT count(*) FROM job_cancelled"));
    }

    JdbcJobQueries q = new JdbcJobQueries(db.dataSource());
    JobSummary a = q.job(admin, A).orElseThrow().job();
    assertEquals(me, a.user());
    assertEquals("SUCCESSFUL_COMPLETION", a.state());
    assertEquals("node-it", a.executingHost());
    assertEquals(60.5, a.userCpuSeconds());
    assertEquals(2.25, a.systemCpuSeconds());
    assertEquals("COMPLETED", a.accountingState());
    assertEquals(Instant.parse("2026-11-20T08:10:00Z"), a.finished());
    JobSummary b = q.job(admin, B).orElseThrow().job();
    assertEquals("FAIL_RESOURCE_LIMIT", b.state());
    assertEquals(137, b.exitCode());
    assertEquals(1800.0, b.userCpuSeconds(), "the steps of the second 4711");
    assertEquals("TIMEOUT", b.accountingState());
    JobSummary c = q.job(admin, C).orElseThrow().job();
    assertEquals("QUEUED", c.state());
    assertNull(c.userCpuSeconds(), "B's accounting is closer to B: C gets none");

    // Who is behind gateway job gw-req-17?
    List<JobSummary> gw =
        q.jobs(admin, new JobFilter(null, null, null, null, null, null, "gw-req-17", null), 0, 10)
            .items();
    assertEquals(1, gw.size());
    assertEquals("carol", gw.get(0).gatewayUser());
    assertEquals(me, gw.get(0).user());
    assertEquals(
        List.of(B),
        q
            .jobs(
                admin,
                new JobFilter(me, null, null, "FAIL_RESOURCE_LIMIT", "slurm", null, null, null),
                0,
                10)
            .items()
            .stream()
            .map(JobSummary::jobId)
            .toList());
    assertEquals(3L, q.usage(admin, JobFilter.all(), "user").get(0).jobs());

    JobDetail detail = q.job(admin, A).orElseThrow();
    assertEquals(
        List.of("initialized", "queued", "started", "finished", "accounting"),
        detail.records().stream().map(r -> r.stage()).toList());
    assertEquals("carol", detail.records().get(0).attributes().get("gatewayUser"));
    List<JobAttribute> attrs = q.attributes(admin, A).orElseThrow();
    assertTrue(
        attrs.stream()
            .anyMatch(
                x ->
                    x.name().equals("https://ursprung.io/ns/job/finished#exitCode")
                        && x.value().equals("0")),
        attrs.toString());
    assertTrue(
        attrs.stream()
            .anyMatch(
                x ->
                    x.name().equals("https://ursprung.io/ns/job/accounting#userCpuSeconds")
                        && x.value().equals("60.500")),
        attrs.toString());

    linkingMakesRuns();
  }

  /** The job's processes (same session on the executing host, within its time) form a run. */
  private void linkingMakesRuns() throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO processes (host, pid, start_time, sid, pgid, uid, user_name, argv, cwd,"
              + " end_time, parent_pid, parent_start) VALUES"
              + " ('node-it', 5000, '2026-11-20T08:00:04Z', 5000, 5000, 0, 'root',"
              + "  '{bash,train.sh}', '/home/u', '2026-11-20T08:10:00Z', 1, '2026-11-01T00:00:00Z'),"
              + " ('node-it', 5001, '2026-11-20T08:01:00Z', 5000, 5000, 0, 'root',"
              + "  '{python,train.py}', '/home/u', '2026-11-20T08:09:00Z', 5000,"
              + "  '2026-11-20T08:00:04Z'),"
              // The same session id, reused long after job A ended: not A's.
              + " ('node-it', 6000, '2026-11-20T09:30:00Z', 5000, 5000, 0, 'root',"
              + "  '{vim,notes}', '/home/u', '2026-11-20T09:31:00Z', 1, '2026-11-01T00:00:00Z'),"
              + " ('node-it', 7000, '2026-11-20T10:00:03Z', 7000, 7000, 0, 'root',"
              + "  '{bash,train.sh}', '/home/u', '2026-11-20T11:00:04Z', 1,"
              + "  '2026-11-01T00:00:00Z')");
    }
    JdbcProvenanceQueries pq =
        new JdbcProvenanceQueries(db.dataSource(), new JdbcLineageService(db.dataSource()));
    List<RunSummary> runs = pq.runs(admin, null, null, null, null, 0, 50).items();
    RunSummary runA =
        runs.stream().filter(r -> r.id().equals("job:" + A)).findFirst().orElseThrow();
    assertEquals(2, runA.processes(), runs.toString());
    assertTrue(runs.stream().anyMatch(r -> r.id().equals("job:" + B)), runs.toString());
    assertTrue(
        runs.stream().anyMatch(r -> r.id().startsWith("p:") && r.id().contains("6000")),
        "the later process of a reused session is its own run: " + runs);
    RunComparison cmp = pq.compareRuns(admin, List.of("job:" + A, "job:" + B)).orElseThrow();
    assertEquals(2, cmp.runs().size());
    assertNotNull(runA.user(), runA.toString());
    assertEquals(runA.user(), cmp.runs().get(0).user(), "a compared run names its user");
    assertEquals(
        "job:" + A, new JdbcJobQueries(db.dataSource()).job(admin, A).orElseThrow().job().runId());
  }

  private static String attempt(Connection c, String role, String sql) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL ROLE " + role);
      s.execute(sql);
      return "ok";
    } catch (SQLException e) {
      return e.getSQLState();
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @Test
  void theDatabaseRefusesUpdateAndDeleteToTheLoaderAndInsertToAViewer() throws Exception {
    String insert =
        "INSERT INTO job_finished (event_id, job_id, user_name, recorded_host,"
            + " service_finish_time, final_state) VALUES ('priv-1', 'priv', 'x', 'h', now(),"
            + " 'SUCCESSFUL_COMPLETION') ON CONFLICT DO NOTHING";
    try (Connection c = db.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute(insert.replace("priv-1", "priv-0"));
      }
      assertEquals("ok", attempt(c, "ursprung_job_loader", insert));
      for (String t :
          List.of(
              "job_initialized",
              "job_queued",
              "job_started",
              "job_cancelled",
              "job_finished",
              "job_accounting")) {
        assertEquals(
            "42501", attempt(c, "ursprung_job_loader", "UPDATE " + t + " SET user_name = 'y'"), t);
        assertEquals("42501", attempt(c, "ursprung_job_loader", "DELETE FROM " + t), t);
        assertEquals("42501", attempt(c, "ursprung_job_loader", "TRUNCATE " + t), t);
        assertEquals("42501", attempt(c, "ursprung_job_loader", "SELECT * FROM " + t), t);
        assertEquals("ok", attempt(c, "ursprung_job_viewer", "SELECT * FROM " + t), t);
        assertEquals(
            "42501", attempt(c, "ursprung_job_viewer", "UPDATE " + t + " SET user_name = 'y'"), t);
        assertEquals("42501", attempt(c, "ursprung_job_viewer", "DELETE FROM " + t), t);
      }
      assertEquals("42501", attempt(c, "ursprung_job_viewer", insert));
      assertEquals("ok", attempt(c, "ursprung_job_viewer", "SELECT * FROM job_records"));
      // Even the owner's sessions cannot rewrite history (trigger).
      try (Statement s = c.createStatement()) {
        s.execute("UPDATE job_finished SET exit_code = 1 WHERE event_id = 'priv-0'");
        throw new AssertionError("the owner updated an audit row");
      } catch (SQLException e) {
        assertEquals("42501", e.getSQLState());
      }
    }
    // Every column of every job table has a globally unique attribute name.
    assertEquals(
        0,
        count(
            db,
            "SELECT count(*) FROM information_schema.columns c WHERE c.table_schema ="
                + " current_schema() AND c.table_name IN ('job_initialized', 'job_queued',"
                + " 'job_started', 'job_cancelled', 'job_finished', 'job_accounting') AND NOT"
                + " EXISTS (SELECT 1 FROM job_attribute_names n WHERE n.table_name ="
                + " c.table_name AND n.column_name = c.column_name)"));
  }

  @Test
  void onlyTheOwnerAndAdminsSeeAJob() throws Exception {
    new JobStore(db.dataSource())
        .write(
            List.of(
                io.ursprung.db.jobs.JobRow.of(
                    "api-1",
                    "login-it",
                    "api:job:1",
                    "queued",
                    "alice",
                    Instant.parse("2026-11-21T00:00:00Z"),
                    Map.of("localJobId", "1"))));
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newHttpClient();
    try (Backend backend = TestBackends.open(db, ADMIN_TOKEN)) {
      String base = "http://127.0.0.1:" + backend.port();
      Map<String, String> tokens = new HashMap<>();
      for (String user : List.of("alice", "mallory")) {
        HttpResponse<String> put =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/users/" + user))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"password\":\"" + user + "-password-1\",\"role\":\"viewer\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        HttpResponse<String> login =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"" + user + "\",\"password\":\"" + user + "-password-1\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        tokens.put(user, json.readTree(login.body()).get("token").asText());
      }
      tokens.put("admin", ADMIN_TOKEN);
      java.util.function.BiFunction<String, String, HttpResponse<String>> get =
          (path, who) -> {
            try {
              return http.send(
                  HttpRequest.newBuilder(URI.create(base + path))
                      .header("Authorization", "Bearer " + tokens.get(who))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      String one = "/api/v1/jobs/api:job:1";
      assertEquals(200, get.apply(one, "alice").statusCode());
      assertEquals(200, get.apply(one, "admin").statusCode());
      HttpResponse<String> denied = get.apply(one, "mallory");
      assertEquals(403, denied.statusCode(), denied.body());
      assertEquals(403, get.apply(one + "/attributes", "mallory").statusCode());
      assertEquals(403, get.apply("/api/v1/jobs?user=alice", "mallory").statusCode());
      assertEquals(404, get.apply("/api/v1/jobs/no-such-job", "mallory").statusCode());
      JsonNode mine = json.readTree(get.apply("/api/v1/jobs", "mallory").body());
      assertEquals(0, mine.get("items").size(), "a viewer lists only their own jobs");
      JsonNode alices = json.readTree(get.apply("/api/v1/jobs", "alice").body());
      assertEquals("api:job:1", alices.get("items").get(0).get("jobId").asText());
      assertEquals("QUEUED", alices.get("items").get(0).get("state").asText());
      JsonNode attrs = json.readTree(get.apply(one + "/attributes", "alice").body());
      assertTrue(attrs.toString().contains("https://ursprung.io/ns/job/queued#localJobId"));
      assertEquals(
          200, get.apply("/api/v1/jobs/usage?groupBy=resourceManager", "alice").statusCode());
      assertEquals(400, get.apply("/api/v1/jobs/usage?groupBy=nope", "alice").statusCode());
    }
  }
}
