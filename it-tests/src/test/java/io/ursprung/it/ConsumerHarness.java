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
    return settings(source, kafka, topic, jdbcUrl, db.user(), db.password(), batch);
  }

  static ConsumerSettings settings(
      Source source,
      TestKafka kafka,
      String topic,
      String jdbcUrl,
      String user,
      String password,
      int batch) {
    return settings(source, kafka.bootstrapServers(), topic, jdbcUrl, user, password, batch);
  }

  static ConsumerSettings settings(
      Source source,
      String bootstrapServers,
      String topic,
      String jdbcUrl,
      String user,
      String password,
      int batch) {
    return new ConsumerSettings(
        source,
        List.of(bootstrapServers),
        topic,
        "it-" + topic,
        Map.of(),
        jdbcUrl,
        user,
        password,
        batch,
        Duration.ofMillis(200),
        Duration.ofMillis(1000),
        Duration.ofSeconds(60),
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        true);
  }

  /**
   * Consumers started here and not yet closed: a wait that times out describes them, and one whose
   * thread died ends every wait at once with its failure instead of a bare time-out.
   */
  private static final List<Running> LIVE = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A consumer running in a thread of this JVM. */
  record Running(
      ConsumerLoop loop,
      Thread thread,
      Metrics metrics,
      java.util.concurrent.atomic.AtomicReference<Throwable> failure)
      implements AutoCloseable {
    Running(ConsumerLoop loop, Thread thread, Metrics metrics) {
      this(loop, thread, metrics, new java.util.concurrent.atomic.AtomicReference<>());
      thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
      LIVE.add(this);
    }

    String describe() {
      return thread.getName()
          + (thread.isAlive() ? " running" : " ended")
          + (failure.get() == null ? "" : " with " + failure.get())
          + ": events "
          + metrics.events()
          + ", batches "
          + metrics.batches()
          + ", dead-lettered "
          + metrics.deadLettered()
          + ", retries "
          + metrics.retries();
    }

    @Override
    public void close() {
      LIVE.remove(this);
      loop.stop();
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static Running start(ConsumerSettings s, GraphStore store) {
    boolean audit = s.source() == Source.AUDITD;
    SourceHandler h =
        audit ? new AuditdMapper(CODEC, store) : new ScaleMapper(store, s.renameTimeout());
    Metrics m = new Metrics();
    // As `ursprung consumer` runs them: auditd pipelined (when s.pipeline()), Scale one by one.
    ConsumerLoop loop =
        new ConsumerLoop(s, h, audit ? new AuditdMapper(CODEC, store) : null, m, null);
    Thread t = new Thread(loop::run, "it-consumer-" + s.topic());
    t.setDaemon(true);
    Running r = new Running(loop, t, m);
    t.start();
    return r;
  }

  /** A consumer that also reports its status row to {@code consumer_status}. */
  static Running startReporting(ConsumerSettings s, GraphStore store, javax.sql.DataSource ds) {
    Metrics m = new Metrics();
    ConsumerLoop loop =
        new ConsumerLoop(
            s,
            new AuditdMapper(CODEC, store),
            new AuditdMapper(CODEC, store),
            m,
            new io.ursprung.consumer.StatusReporter(
                new io.ursprung.db.status.IngestStatus(ds), s, m, java.time.Clock.systemUTC()));
    Thread t = new Thread(loop::run, "it-consumer-" + s.topic());
    t.setDaemon(true);
    Running r = new Running(loop, t, m);
    t.start();
    return r;
  }

  static void send(TestKafka kafka, String topic, List<ProvEvent> events) throws Exception {
    send(kafka.producerProperties(), topic, events);
  }

  /** Sends to the broker of these producer settings (a broker of a test's own, say). */
  static void send(java.util.Properties producer, String topic, List<ProvEvent> events)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producer)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>(events.size());
      for (ProvEvent e : events) {
        sent.add(p.send(new ProducerRecord<>(topic, KafkaKeys.keyFor(e), CODEC.toBytes(e))));
      }
      p.flush();
      acknowledged(topic, sent);
    }
  }

  /** Fails with the broker's reason when a record of a test's input was not stored by Kafka. */
  private static void acknowledged(String topic, List<java.util.concurrent.Future<?>> sent)
      throws InterruptedException {
    for (java.util.concurrent.Future<?> f : sent) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new AssertionError("Kafka did not take a test record for " + topic, e.getCause());
      }
    }
  }

  static void sendRaw(TestKafka kafka, String topic, String key, List<String> values)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerProperties())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>(values.size());
      for (String v : values) {
        sent.add(
            p.send(
                new ProducerRecord<>(
                    topic,
                    key.getBytes(StandardCharsets.UTF_8),
                    v.getBytes(StandardCharsets.UTF_8))));
      }
      p.flush();
      acknowledged(topic, sent);
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      for (Running r : LIVE) {
        if (r.failure().get() != null) {
          throw new AssertionError(
              "waiting for " + what + ", a consumer failed: " + r.describe(), r.failure().get());
        }
      }
      if (System.nanoTime() > deadline) {
        StringBuilder m = new StringBuilder("timed out waiting for " + what);
        for (Running r : LIVE) {
          m.append("\n  consumer ").append(r.describe());
        }
        throw new AssertionError(m.toString());
      }
      Thread.sleep(100);
    }
  }

  /** The rows of a query as lists of strings (null stays null). */
  static List<List<String>> rows(TestDatabase db, String sql, Object... params) {
    return rows(db.dataSource(), sql, params);
  }

  /** The rows of a query on any database (a server of a test's own, say). */
  static List<List<String>> rows(javax.sql.DataSource ds, String sql, Object... params) {
    try (Connection c = ds.getConnection();
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
    return count(db.dataSource(), sql, params);
  }

  static long count(javax.sql.DataSource ds, String sql, Object... params) {
    return Long.parseLong(rows(ds, sql, params).get(0).get(0));
  }

  /** Rows per graph table for one host, the fingerprint compared between runs. */
  static Map<String, Long> countsForHost(TestDatabase db, String host) {
    return countsForHost(db.dataSource(), host);
  }

  static Map<String, Long> countsForHost(javax.sql.DataSource db, String host) {
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
