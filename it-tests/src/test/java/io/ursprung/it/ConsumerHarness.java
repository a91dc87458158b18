package io.ursprung.it;

import io.ursprung.consumer.AuditdMapper;
import io.ursprung.consumer.ConsumerLoop;
import io.ursprung.consumer.ConsumerSettings;
import io.ursprung.consumer.Metrics;
import io.ursprung.consumer.ScaleMapper;
import io.ursprung.consumer.Source;
import io.ursprung.consumer.SourceHandler;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.EventCodec;
import io.ursprung.events.KafkaKeys;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Helpers shared by the consumer integration tests: run a consumer in this JVM, query, wait. */
final class ConsumerHarness {
  static final EventCodec CODEC = new EventCodec();

  private ConsumerHarness() {}

  static ConsumerSettings settings(
      Source source, TestKafka kafka, TestDatabase db, String topic, String jdbcUrl, int batch) {
    return new ConsumerSettings(
        source,
        List.of(kafka.bootstrapServers()),
        topic,
        "it-" + topic,
        Map.of(),
        jdbcUrl,
        db.user(),
        db.password(),
        batch,
        Duration.ofMillis(200),
        Duration.ofMillis(1000),
        Duration.ofSeconds(60),
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        Duration.ofMillis(500));
  }

  /** A consumer running in a thread of this JVM. */
  record Running(ConsumerLoop loop, Thread thread, Metrics metrics) implements AutoCloseable {
    @Override
    public void close() {
      loop.stop();
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static Running start(ConsumerSettings s, GraphStore store) {
    SourceHandler h =
        s.source() == Source.AUDITD
            ? new AuditdMapper(CODEC, store)
            : new ScaleMapper(store, s.renameTimeout());
    Metrics m = new Metrics();
    ConsumerLoop loop = new ConsumerLoop(s, h, m);
    Thread t = new Thread(loop::run, "it-consumer-" + s.topic());
    t.setDaemon(true);
    t.start();
    return new Running(loop, t, m);
  }

  /** A consumer that also reports its status row to {@code consumer_status}. */
  static Running startReporting(ConsumerSettings s, GraphStore store, javax.sql.DataSource ds) {
    Metrics m = new Metrics();
    ConsumerLoop loop =
        new ConsumerLoop(
            s,
            new AuditdMapper(CODEC, store),
            m,
            new io.ursprung.consumer.StatusReporter(
                new io.ursprung.db.status.IngestStatus(ds), s, m, java.time.Clock.systemUTC()));
    Thread t = new Thread(loop::run, "it-consumer-" + s.topic());
    t.setDaemon(true);
    t.start();
    return new Running(loop, t, m);
  }

  static void send(TestKafka kafka, String topic, List<ProvEvent> events) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerProperties())) {
      for (ProvEvent e : events) {
        p.send(new ProducerRecord<>(topic, KafkaKeys.keyFor(e), CODEC.toBytes(e)));
      }
      p.flush();
    }
  }

  static void sendRaw(TestKafka kafka, String topic, String key, List<String> values)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerProperties())) {
      for (String v : values) {
        p.send(
            new ProducerRecord<>(
                topic, key.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)));
      }
      p.flush();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** The rows of a query as lists of strings (null stays null). */
  static List<List<String>> rows(TestDatabase db, String sql, Object... params) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<List<String>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(rs.getString(i));
          }
          out.add(row);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }

  static long count(TestDatabase db, String sql, Object... params) {
    return Long.parseLong(rows(db, sql, params).get(0).get(0));
  }

  /** Rows per graph table for one host, the fingerprint compared between runs. */
  static Map<String, Long> countsForHost(TestDatabase db, String host) {
    Map<String, Long> m = new java.util.TreeMap<>();
    for (String t :
        List.of(
            "event_archive",
            "processes",
            "process_execs",
            "files",
            "file_names",
            "file_versions",
            "used",
            "was_informed_by",
            "was_derived_from",
            "sockets",
            "job_events")) {
      m.put(t, count(db, "SELECT count(*) FROM " + t + " WHERE host = ?", host));
    }
    m.put(
        "processes_exited",
        count(db, "SELECT count(*) FROM processes WHERE host = ? AND end_time IS NOT NULL", host));
    return m;
  }
}
