package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.backend.Backend;
import io.ursprung.consumer.AuditdMapper;
import io.ursprung.consumer.ConsumerLoop;
import io.ursprung.consumer.ConsumerSettings;
import io.ursprung.consumer.Metrics;
import io.ursprung.consumer.Source;
import io.ursprung.consumer.StatusReporter;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.status.IngestStatus;
import io.ursprung.events.HostStatus;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's ingest figures end to end: a real consumer reads a real broker, stores into a
 * real PostgreSQL and reports its status row; the plugin's host.status events land in host_status;
 * a running backend serves both on GET /api/v1/metrics.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
class IngestStatusIT {
  static final String ADMIN_TOKEN = "it-admin-token-ingest-status-0123";
  static final Producer PRODUCER = new Producer("it", "1");
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void consumerAndHostStatusReachTheMetricsEndpoint(TestKafka kafka, TestDatabase db)
      throws Exception {
    String topic = kafka.createTopic("auditd", 2);
    kafka.createTopicNamed(topic + ".dlq", 1);
    ConsumerSettings settings =
        ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 50);
    Instant t = Instant.parse("2026-11-20T10:00:00.000Z");
    List<ProvEvent> events = new ArrayList<>();
    for (String host : List.of("ingest01", "ingest02")) {
      for (int i = 0; i < 120; i++) {
        Instant at = t.plusMillis(i);
        events.add(
            ProvEvent.of(
                host + ":auditd:" + i + ":0",
                PRODUCER,
                host,
                at,
                new ProcessStarted(
                    new ProcessRef(1000 + i, at),
                    null,
                    1,
                    1000 + i,
                    1000 + i,
                    null,
                    "/w",
                    "/usr/bin/true",
                    List.of("true"),
                    "first-seen")));
      }
    }
    // The newer report first, then an older one for the same host (same partition, in order):
    // the older must not replace it.
    events.add(status("ingest01", t.plusSeconds(60), HostStatus.Kernel.of(1, 17, 3, 8192), 240));
    events.add(status("ingest01", t.plusSeconds(30), HostStatus.Kernel.of(1, 5, 0, 8192), 100));
    events.add(
        status("ingest02", t.plusSeconds(60), HostStatus.Kernel.unavailable("not root"), 120));
    ConsumerHarness.send(kafka, topic, events);
    ConsumerHarness.sendRaw(kafka, topic, "ingest01", List.of("{ this is not an event"));
    int produced = events.size(); // 243 good messages and 1 malformed

    GraphStore store = new GraphStore(db.dataSource(), settings.skew());
    Metrics metrics = new Metrics();
    StatusReporter reporter =
        new StatusReporter(new IngestStatus(db.dataSource()), settings, metrics, Clock.systemUTC());
    ConsumerLoop loop =
        new ConsumerLoop(
            settings, new AuditdMapper(ConsumerHarness.CODEC, store), metrics, reporter);
    Thread thread = new Thread(loop::run, "it-ingest-status");
    thread.start();
    String id = reporter.instanceId();
    try {
      await(
          "the status row to show every event stored and no lag",
          Duration.ofSeconds(90),
          () -> {
            List<List<String>> r =
                rows(
                    db,
                    "SELECT events_total, dead_lettered_total, lag FROM consumer_status"
                        + " WHERE instance_id = ?",
                    id);
            return !r.isEmpty() && r.get(0).equals(List.of(String.valueOf(produced), "1", "0"));
          });
      List<List<String>> row =
          rows(
              db,
              "SELECT source, topic, group_id, running, batches_total > 0, started <= updated"
                  + " FROM consumer_status WHERE instance_id = ?",
              id);
      assertEquals(List.of(List.of("auditd", topic, "it-" + topic, "t", "t", "t")), row);

      // host_status: the newest report per host; an unreadable kernel stays unknown, not zero.
      assertEquals(
          List.of(
              List.of("ingest01", "t", "17", "3", "240"),
              Arrays.asList("ingest02", "f", null, null, "120")),
          rows(
              db,
              "SELECT host, kernel_available, kernel_lost, kernel_backlog, events_published"
                  + " FROM host_status ORDER BY host"));
      assertEquals(
          List.of(List.of("not root")),
          rows(db, "SELECT kernel_reason FROM host_status WHERE host = 'ingest02'"));
      // Status reports are not provenance: not in the archive.
      assertEquals(List.of(List.of("240")), rows(db, "SELECT count(*) FROM event_archive"));

      try (Backend backend = backend(db)) {
        String base = "http://127.0.0.1:" + backend.port() + "/api/v1";
        HttpResponse<String> m = get(base + "/metrics", ADMIN_TOKEN);
        assertEquals(200, m.statusCode(), m.body());
        String labels =
            "{source=\"auditd\",instance=\""
                + id
                + "\",group=\"it-"
                + topic
                + "\",topic=\""
                + topic
                + "\"}";
        String body = m.body();
        assertTrue(body.contains("ursprung_consumer_events_total" + labels + " " + produced), body);
        assertTrue(body.contains("ursprung_consumer_dead_lettered_total" + labels + " 1\n"), body);
        assertTrue(body.contains("ursprung_consumer_lag" + labels + " 0\n"), body);
        assertTrue(body.contains("ursprung_consumer_up" + labels + " 1\n"), body);
        assertTrue(body.contains("ursprung_plugin_kernel_lost{host=\"ingest01\"} 17\n"), body);
        assertTrue(
            body.contains(
                "ursprung_plugin_kernel_available{host=\"ingest02\",reason=\"not root\"} 0\n"),
            body);
        assertTrue(
            body.contains("ursprung_host_last_event_timestamp_seconds{host=\"ingest02\""), body);
        // What it served before stays.
        assertTrue(body.contains("ursprung_backend_requests_total"), body);
        // Admins only.
        assertEquals(401, get(base + "/metrics", null).statusCode());

        // A stopped consumer's last report says so.
        loop.stop();
        thread.join(30_000);
        assertEquals(
            List.of(List.of("f", String.valueOf(produced))),
            rows(
                db, "SELECT running, events_total FROM consumer_status WHERE instance_id = ?", id));
        String after = get(base + "/metrics", ADMIN_TOKEN).body();
        assertTrue(after.contains("ursprung_consumer_up" + labels + " 0\n"), after);
      }
    } finally {
      loop.stop();
      thread.join(30_000);
    }
    assertTrue(metrics.statusWrites() > 0);
    assertEquals(0, metrics.statusFailures());
  }

  /** What one status report costs the database: a figure printed, not asserted. */
  @Test
  void statusWriteCost(TestDatabase db) throws Exception {
    IngestStatus status = new IngestStatus(db.dataSource());
    Instant started = Instant.now();
    int n = 500;
    for (int i = 0; i < 50; i++) { // warm-up
      status.upsert(row(started, i));
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      status.upsert(row(started, 50 + i));
    }
    double ms = (System.nanoTime() - t0) / 1e6 / n;
    System.out.printf(
        "IngestStatusIT: one consumer_status upsert takes %.2f ms on average (%d writes, own"
            + " connection from the pool, autocommit); load average %s%n",
        ms, n, java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
    // The same row, updated in place (the database is shared by this class's tests).
    assertEquals(
        List.of(List.of(String.valueOf((50L + n - 1) * 1000))),
        rows(
            db, "SELECT events_total FROM consumer_status WHERE instance_id = 'bench/auditd/1-x'"));
  }

  private static io.ursprung.db.status.ConsumerStatus row(Instant started, int i) {
    return new io.ursprung.db.status.ConsumerStatus(
        "bench/auditd/1-x",
        "auditd",
        "auditd",
        "g",
        "bench",
        started,
        started.plusMillis(i),
        true,
        i * 1000L,
        i,
        0,
        1000.0,
        0L,
        12.5);
  }

  static ProvEvent status(String host, Instant at, HostStatus.Kernel kernel, long published) {
    return ProvEvent.of(
        host + ":host.status:" + at.toEpochMilli(),
        PRODUCER,
        host,
        at,
        new HostStatus(kernel, new HostStatus.Counters(published, 0, 0, 0, 0), 30L));
  }

  private Backend backend(TestDatabase db) {
    return TestBackends.open(db, ADMIN_TOKEN);
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
