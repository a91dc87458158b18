package io.ursprung.it.bench;

import io.ursprung.consumer.AuditdMapper;
import io.ursprung.consumer.ConsumerLoop;
import io.ursprung.consumer.ConsumerSettings;
import io.ursprung.consumer.Metrics;
import io.ursprung.consumer.Source;
import io.ursprung.db.Database;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.EventCodec;
import io.ursprung.events.KafkaKeys;
import io.ursprung.events.ProvEvent;
import io.ursprung.it.BenchSupport;
import io.ursprung.testkit.TestKafka;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sustained Kafka → graph throughput of the auditd consumer on the bulk capture, printed beside the
 * ceiling measured in the same run: the same rows COPYed straight into the same (empty) tables. Not
 * a test: run with consumer/bench/run.sh. Arguments: [capture] [batch size].
 */
public final class ConsumerBench {
  public static void main(String[] args) throws Exception {
    Path capture =
        Path.of(
            args.length > 0
                ? args[0]
                : "../../shared/testdata/audit/bulk-bob.plugin-stream.log.gz");
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    EventCodec codec = new EventCodec();
    List<ProvEvent> events = BenchSupport.captureEvents(capture);
    System.out.printf("capture %s: %d events%n", capture.getFileName(), events.size());

    TestKafka kafka = TestKafka.get();
    String topic = kafka.createTopic("bench-auditd", 4);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerProperties())) {
      for (ProvEvent e : events) {
        p.send(new ProducerRecord<>(topic, KafkaKeys.keyFor(e), codec.toBytes(e)));
      }
      p.flush();
    }

    String admin =
        System.getenv()
            .getOrDefault("URSPRUNG_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String user = System.getenv().getOrDefault("URSPRUNG_TEST_JDBC_USER", "postgres");
    String password = System.getenv("URSPRUNG_TEST_JDBC_PASSWORD");
    String name = "ursprung_bench_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(admin, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    String url = admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    try (Database db = Database.open(url, user, password, "bench", 3)) {
      db.migrate();
      GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));

      // 1. The consumer, from the committed start of the topic to the last event stored.
      ConsumerSettings settings =
          new ConsumerSettings(
              Source.AUDITD,
              List.of(kafka.bootstrapServers()),
              topic,
              "bench-" + topic,
              Map.of(),
              url,
              user,
              password,
              batchSize,
              Duration.ofMillis(200),
              Duration.ofSeconds(1),
              Duration.ofSeconds(60),
              Duration.ofSeconds(5),
              Duration.ofSeconds(1));
      Metrics m = new Metrics();
      ConsumerLoop loop = new ConsumerLoop(settings, new AuditdMapper(codec, store), m);
      Thread t = new Thread(loop::run, "bench-consumer");
      Runtime rt = Runtime.getRuntime();
      System.gc();
      long heapBefore = rt.totalMemory() - rt.freeMemory();
      long maxHeap = 0;
      long maxLag = 0;
      t.start();
      long firstAt = 0;
      long firstEvents = 0;
      while (m.events() < events.size()) {
        Thread.sleep(20);
        if (firstAt == 0 && m.events() > 0) {
          firstAt = System.nanoTime();
          firstEvents = m.events();
        }
        maxHeap = Math.max(maxHeap, rt.totalMemory() - rt.freeMemory());
        maxLag = Math.max(maxLag, m.lag());
      }
      long end = System.nanoTime();
      loop.stop();
      t.join();
      double consumerRate = (m.events() - firstEvents) * 1e9 / (end - firstAt);
      Map<String, Long> counts = store.counts();

      // 2. The ceiling: the same rows, mapped once, COPYed straight into the emptied tables.
      store.truncateAll();
      GraphBatch all = new GraphBatch();
      for (ProvEvent e : events) {
        AuditdMapper.map(e, codec.toJson(e), topic, 0, 0L, all);
      }
      long c0 = System.nanoTime();
      store.copyRaw(all);
      long c1 = System.nanoTime();
      double copyRate = events.size() * 1e9 / (c1 - c0);
      Map<String, Long> copyCounts = store.counts();

      System.out.printf(
          "consumer  : %,.0f events/s (steady state, after the first batch), %d batches of <= %d, retries %d%n",
          consumerRate, m.batches(), batchSize, m.retries());
      System.out.printf(
          "raw COPY  : %,.0f events/s (same rows, same tables, no staging/merging/conflicts)%n",
          copyRate);
      System.out.printf("ratio     : %.2f x COPY%n", consumerRate / copyRate);
      System.out.printf(
          "heap      : %d MiB used at most while consuming (%d MiB before; JVM -Xmx %d MiB)%n",
          maxHeap >> 20, heapBefore >> 20, rt.maxMemory() >> 20);
      System.out.printf(
          "lag       : %,d messages at most (the whole capture was produced before the start)%n",
          maxLag);
      System.out.printf("rows      : consumer %s%n            copy     %s%n", counts, copyCounts);
    } finally {
      try (Connection c = DriverManager.getConnection(admin, user, password);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
      System.exit(0);
    }
  }
}
