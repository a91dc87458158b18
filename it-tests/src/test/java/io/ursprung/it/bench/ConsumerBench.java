package io.ursprung.it.bench;

import io.ursprung.consumer.AuditdMapper;
import io.ursprung.db.Database;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.EventCodec;
import io.ursprung.events.KafkaKeys;
import io.ursprung.events.ProvEvent;
import io.ursprung.it.BenchSupport;
import io.ursprung.testkit.TestKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Sustained Kafka → graph throughput of the auditd consumer on the bulk capture, beside the ceiling
 * measured in the same run: the same rows COPYed straight into the same (empty) tables. Not a test:
 * run with consumer/bench/run.sh. Arguments: [capture] [batch size] [runs] [copies].
 *
 * <p>The capture is produced to the broker once. Each run then starts {@code ursprung consumer} in
 * its own JVM ({@link BenchConsumerMain}, {@code -Xmx1g}) on a fresh database and a new group, and
 * watches from outside, through the group's committed offsets, as an operator would: the clock
 * starts when the group has its partitions and stops when every offset is committed (offsets move
 * only after the database commit, so this counts stored events). The ceiling of the run follows:
 * the tables emptied, the same rows COPYed three times (median). The machine is shared, so one run
 * proves little: the summary gives the median and the range over the runs, and the ratio is taken
 * per run (consumer and ceiling a minute apart) before the median.
 *
 * <p>The stream is the capture played {@code copies} times (default 4) into one plugin, each copy
 * with its audit serials and clock moved on ({@link BenchSupport#captureEvents(Path, int, List)}),
 * so every event is new and the stream is long enough for a sustained rate.
 *
 * <p>Four consumer rates: from the assignment (includes the JVM's JIT warm-up, which on a loaded
 * 2-core machine costs as much CPU as the consumer's own work), after the first commit, and over
 * the copies after the first (the sustained rate: a warmed-up consumer writing into tables that
 * already hold data, which is what a long-running consumer sees), and over the second half.
 */
public final class ConsumerBench {
  public static void main(String[] args) throws Exception {
    Path capture =
        Path.of(
            args.length > 0
                ? args[0]
                : "../../shared/testdata/audit/bulk-bob.plugin-stream.log.gz");
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int copies = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    EventCodec codec = new EventCodec();
    List<Integer> ends = new ArrayList<>();
    List<ProvEvent> events = BenchSupport.captureEvents(capture, copies, ends);
    int firstCopy = ends.get(0);
    System.out.printf(
        "capture %s x %d copies: %,d events (%,d in the first copy)%n",
        capture.getFileName(), copies, events.size(), firstCopy);

    TestKafka kafka = TestKafka.get();
    String topic = kafka.createTopic("bench-auditd", 4);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerProperties())) {
      for (ProvEvent e : events) {
        p.send(new ProducerRecord<>(topic, KafkaKeys.keyFor(e), codec.toBytes(e)));
      }
      p.flush();
    }
    warmBroker(kafka, topic, events.size());
    GraphBatch all = new GraphBatch();
    for (ProvEvent e : events) {
      AuditdMapper.map(e, codec.toJson(e), topic, 0, 0L, all);
    }

    String admin =
        System.getenv()
            .getOrDefault("URSPRUNG_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String user = System.getenv().getOrDefault("URSPRUNG_TEST_JDBC_USER", "postgres");
    String password = System.getenv("URSPRUNG_TEST_JDBC_PASSWORD");
    printServerSettings(admin, user, password);
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    List<Run> results = new ArrayList<>();
    try (Admin kafkaAdmin = Admin.create(ap)) {
      for (int r = 1; r <= runs; r++) {
        Run run =
            runOnce(
                r,
                events.size(),
                firstCopy,
                all,
                topic,
                batchSize,
                kafka,
                kafkaAdmin,
                admin,
                user,
                password);
        results.add(run);
        System.out.printf(
            "run %d: consumer %,.0f events/s whole run (%,.0f after the first commit, %,.0f after"
                + " the first copy, %,.0f in the second half), raw COPY %,.0f events/s, ratio %.2f"
                + " whole run, %.2f after the first copy; consumer CPU %.1f us/event (%.1f after"
                + " the first copy); heap %d MiB max used, %d MiB max after GC, %,d MiB"
                + " allocated; lag max %,d, end %,d; load %.1f; rows equal: %s%n",
            r,
            run.rate,
            run.steadyRate,
            run.sustainedRate,
            run.warmRate,
            run.copyRate,
            run.rate / run.copyRate,
            run.sustainedRate / run.copyRate,
            run.cpuPerEvent,
            run.sustainedCpuPerEvent,
            run.heapMax >> 20,
            run.heapLive >> 20,
            run.allocated >> 20,
            run.maxLag,
            run.endLag,
            run.load,
            run.rowsEqual);
        System.out.printf(
            "run %d: PostgreSQL CPU per event: %.1f us for the consumer's backends after the first"
                + " copy, %.1f us for the ceiling's COPY%n",
            r, run.pgCpuPerEvent, run.ceilingPgCpuPerEvent);
        System.out.printf(
            "run %d: consumer by quarter of the stream (events/s): %s%n",
            r,
            java.util.Arrays.stream(run.quarters)
                .mapToObj(x -> String.format("%,.0f", x))
                .collect(java.util.stream.Collectors.joining(" | ")));
      }
    }
    System.out.printf(
        "%nbatch size %d, %d copies (%,d events), %d runs (median, min..max)%n",
        batchSize, copies, events.size(), runs);
    summary("consumer (events/s)", results.stream().mapToDouble(x -> x.rate).toArray(), "%,.0f");
    summary(
        "  after 1st commit", results.stream().mapToDouble(x -> x.steadyRate).toArray(), "%,.0f");
    summary(
        "  after 1st copy", results.stream().mapToDouble(x -> x.sustainedRate).toArray(), "%,.0f");
    summary("  second half", results.stream().mapToDouble(x -> x.warmRate).toArray(), "%,.0f");
    for (int q = 0; q < 4; q++) {
      int quarter = q;
      summary(
          "  quarter " + (q + 1),
          results.stream().mapToDouble(x -> x.quarters[quarter]).toArray(),
          "%,.0f");
    }
    summary(
        "raw COPY (events/s)", results.stream().mapToDouble(x -> x.copyRate).toArray(), "%,.0f");
    summary(
        "ratio (per run)",
        results.stream().mapToDouble(x -> x.rate / x.copyRate).toArray(),
        "%.2f");
    summary(
        "ratio, after 1st copy",
        results.stream().mapToDouble(x -> x.sustainedRate / x.copyRate).toArray(),
        "%.2f");
    summary(
        "ratio, second half",
        results.stream().mapToDouble(x -> x.warmRate / x.copyRate).toArray(),
        "%.2f");
    summary("CPU us/event", results.stream().mapToDouble(x -> x.cpuPerEvent).toArray(), "%.1f");
    summary(
        "  after 1st copy",
        results.stream().mapToDouble(x -> x.sustainedCpuPerEvent).toArray(),
        "%.1f");
    summary(
        "PG CPU us/event", results.stream().mapToDouble(x -> x.pgCpuPerEvent).toArray(), "%.1f");
    summary(
        "  ceiling's COPY",
        results.stream().mapToDouble(x -> x.ceilingPgCpuPerEvent).toArray(),
        "%.1f");
    summary(
        "heap max used (MiB)",
        results.stream().mapToDouble(x -> x.heapMax >> 20).toArray(),
        "%.0f");
    summary(
        "heap after GC (MiB)",
        results.stream().mapToDouble(x -> x.heapLive >> 20).toArray(),
        "%.0f");
    summary(
        "allocated (MiB)", results.stream().mapToDouble(x -> x.allocated >> 20).toArray(), "%.0f");
    summary("lag max (messages)", results.stream().mapToDouble(x -> x.maxLag).toArray(), "%,.0f");
    summary("load average", results.stream().mapToDouble(x -> x.load).toArray(), "%.1f");
    System.exit(0);
  }

  private static volatile boolean tailAll;

  private static final class Run {
    double rate;
    double steadyRate;
    double warmRate;
    double sustainedRate;
    double cpuPerEvent;
    double sustainedCpuPerEvent;
    double copyRate;
    long heapMax;
    long heapLive;
    long allocated;
    long maxLag;
    long endLag;
    double load;
    boolean rowsEqual;
    double[] quarters = new double[0];
    double pgCpuPerEvent;
    double ceilingPgCpuPerEvent;
  }

  /**
   * CPU seconds so far of the database's backends (Linux /proc; PostgreSQL on this machine), by
   * process id, leaving out those in {@code except}.
   */
  static Map<Long, Double> backendCpu(Connection c, String database, Map<Long, Double> except)
      throws java.sql.SQLException {
    Map<Long, Double> out = new java.util.HashMap<>();
    try (java.sql.PreparedStatement ps =
        c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?")) {
      ps.setString(1, database);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long pid = rs.getLong(1);
          if (!except.containsKey(pid)) {
            out.put(pid, cpuSeconds(pid));
          }
        }
      }
    }
    return out;
  }

  /** CPU seconds the backends in {@code after} used since {@code before} (a new one: all of it). */
  static double grown(Map<Long, Double> before, Map<Long, Double> after) {
    double sum = 0;
    for (Map.Entry<Long, Double> e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
    }
    return sum;
  }

  /**
   * The rate over each quarter of the stream, from the (time, committed) samples: whether the
   * consumer keeps its rate as the tables grow (the JIT settles in the first quarter).
   */
  static double[] quarterRates(List<long[]> samples, long total) {
    double[] out = new double[4];
    long[] from = samples.get(0);
    int q = 0;
    for (long[] s : samples) {
      if (q < 4 && s[1] >= total * (q + 1) / 4) {
        out[q] = s[0] > from[0] ? (s[1] - from[1]) * 1e9 / (s[0] - from[0]) : 0;
        from = s;
        q++;
      }
    }
    return out;
  }

  private static Run runOnce(
      int r,
      int total,
      int firstCopy,
      GraphBatch all,
      String topic,
      int batchSize,
      TestKafka kafka,
      Admin kafkaAdmin,
      String admin,
      String user,
      String password)
      throws Exception {
    Run run = new Run();
    run.load = loadAverage();
    String name = "ursprung_bench_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(admin, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    String url = admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    try (Database db = Database.open(url, user, password, "bench", 2);
        Connection watch = DriverManager.getConnection(url, user, password)) {
      db.migrate();
      String extra = System.getenv().getOrDefault("BENCH_SQL", "").trim();
      if (!extra.isEmpty()) {
        // A schema variant to measure before writing a migration for it (an index dropped, say).
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement()) {
          s.execute(extra);
        }
        System.out.println("BENCH_SQL applied after the migrations: " + extra);
      }
      GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
      // The harness's own backends (its pool and this watcher); every other backend of the
      // database is the consumer's.
      Map<Long, Double> harnessBackends = backendCpu(watch, name, Map.of());

      // 1. The consumer in its own JVM, watched through its group's committed offsets.
      String group = "bench-" + topic + "-" + r;
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
      // Extra options for the consumer JVM, e.g. a flight recording: BENCH_CONSUMER_JVM_OPTS.
      String opts = System.getenv().getOrDefault("BENCH_CONSUMER_JVM_OPTS", "").trim();
      if (!opts.isEmpty()) {
        cmd.addAll(List.of(opts.split("\\s+")));
      }
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              BenchConsumerMain.class.getName(),
              "--source",
              "auditd",
              "--set",
              "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
              "--set",
              "kafka.topic=" + topic,
              "--set",
              "kafka.group.id=" + group,
              "--set",
              "db.url=" + url,
              "--set",
              "db.user=" + user,
              "--set",
              "batch.size=" + batchSize,
              "--set",
              "batch.max.wait.ms=200"));
      // Extra consumer settings, e.g. fetch sizes: BENCH_CONSUMER_SETTINGS="kafka.x=1 batch.y=2".
      for (String kv :
          System.getenv().getOrDefault("BENCH_CONSUMER_SETTINGS", "").trim().split("\\s+")) {
        if (!kv.isEmpty()) {
          cmd.addAll(List.of("--set", kv));
        }
      }
      if (System.getenv("BENCH_CONSUMER_LOG") != null) {
        tailAll = true;
      }
      if (password != null) {
        cmd.addAll(List.of("--set", "db.password=" + password));
      }
      Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      AtomicReference<String> memory = new AtomicReference<>("");
      List<String> tail = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("BENCH ")) {
                      memory.set(line);
                    } else {
                      if (tailAll) {
                        System.out.println("  | " + line);
                      }
                      tail.add(line);
                      if (tail.size() > 50) {
                        tail.remove(0);
                      }
                    }
                  }
                } catch (java.io.IOException e) {
                  // the child ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      long assignedAt = 0;
      long firstCommitAt = 0;
      long firstCommitted = 0;
      long committed = 0;
      long halfAt = 0;
      long halfCommitted = 0;
      long copyAt = 0;
      long copyCommitted = 0;
      double copyCpu = 0;
      List<long[]> samples = new ArrayList<>();
      Map<Long, Double> pgAtCopy = Map.of();
      Map<Long, Double> pgSeen = new java.util.HashMap<>();
      long polls = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (committed < total) {
        if (!child.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "consumer ended or stalled at " + committed + ":\n" + String.join("\n", tail));
        }
        long now = System.nanoTime();
        if (assignedAt == 0 && assigned(kafkaAdmin, group)) {
          assignedAt = now;
        }
        committed = committed(kafkaAdmin, group);
        if (committed > 0 && firstCommitAt == 0) {
          firstCommitAt = now;
          firstCommitted = committed;
        }
        if (committed >= firstCopy && copyAt == 0) {
          copyAt = now;
          copyCommitted = committed;
          copyCpu = cpuSeconds(child.pid());
          pgAtCopy = backendCpu(watch, name, harnessBackends);
        }
        if (++polls % 25 == 0) {
          // Backends can come and go (a pool replacing a connection): keep the last figure seen.
          pgSeen.putAll(backendCpu(watch, name, harnessBackends));
        }
        if (committed >= total / 2 && halfAt == 0) {
          halfAt = now;
          halfCommitted = committed;
        }
        run.maxLag = Math.max(run.maxLag, total - committed);
        if (assignedAt != 0) {
          samples.add(new long[] {now, committed});
        }
        Thread.sleep(assignedAt == 0 ? 5 : 20);
      }
      long end = System.nanoTime();
      samples.add(new long[] {end, committed});
      run.quarters = quarterRates(samples, total);
      double cpu = cpuSeconds(child.pid());
      pgSeen.putAll(backendCpu(watch, name, harnessBackends));
      double pgCpu = grown(pgAtCopy, pgSeen);
      run.endLag = total - committed;
      run.rate = total * 1e9 / (end - assignedAt);
      run.steadyRate =
          end > firstCommitAt ? (total - firstCommitted) * 1e9 / (end - firstCommitAt) : run.rate;
      run.warmRate = end > halfAt ? (total - halfCommitted) * 1e9 / (end - halfAt) : run.rate;
      // Sustained: the copies after the first, when the JVM has warmed up and the tables are no
      // longer empty (what a consumer that has been running a while sees).
      run.sustainedRate =
          end > copyAt && total > copyCommitted
              ? (total - copyCommitted) * 1e9 / (end - copyAt)
              : run.rate;
      // Consumer JVM CPU (all threads: JIT, GC, Kafka client) per stored event.
      run.cpuPerEvent = cpu * 1e6 / total;
      run.sustainedCpuPerEvent =
          total > copyCommitted ? (cpu - copyCpu) * 1e6 / (total - copyCommitted) : 0;
      run.pgCpuPerEvent = total > copyCommitted ? pgCpu * 1e6 / (total - copyCommitted) : 0;
      child.destroy(); // SIGTERM: the consumer stops cleanly
      child.waitFor(30, TimeUnit.SECONDS);
      child.destroyForcibly();
      reader.join(5000);
      Map<String, String> mem = fields(memory.get());
      run.heapMax = Long.parseLong(mem.getOrDefault("heapMaxUsed", "0"));
      run.heapLive = Long.parseLong(mem.getOrDefault("heapMaxAfterGc", "0"));
      run.allocated = Long.parseLong(mem.getOrDefault("allocated", "0"));
      Map<String, Long> counts = store.counts();

      // 2. The ceiling: the same rows COPYed straight into the emptied tables, median of three.
      double[] copies = new double[3];
      Map<String, Long> copyCounts = null;
      Map<String, Long> byTable = new java.util.LinkedHashMap<>();
      double ceilingPgCpu = 0;
      for (int i = 0; i < copies.length; i++) {
        store.truncateAll();
        Map<Long, Double> before = backendCpu(watch, name, Map.of());
        copies[i] = total * 1e9 / store.copyRaw(all, byTable);
        ceilingPgCpu += grown(before, backendCpu(watch, name, Map.of()));
        copyCounts = store.counts();
      }
      run.ceilingPgCpuPerEvent = ceilingPgCpu * 1e6 / copies.length / total;
      // Where the ceiling's time goes: microseconds per stored event, by table (mean of the three).
      StringBuilder where = new StringBuilder("ceiling by table (µs per event):");
      byTable.forEach(
          (t, ns) -> where.append(String.format(" %s %.2f", t, ns / 1e3 / copies.length / total)));
      System.out.println(where);
      java.util.Arrays.sort(copies);
      run.copyRate = copies[1];
      run.rowsEqual = counts.equals(copyCounts);
      if (!run.rowsEqual) {
        System.out.printf("rows: consumer %s%n      copy     %s%n", counts, copyCounts);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(admin, user, password);
          Statement s = c.createStatement()) {
        if (System.getenv("BENCH_KEEP_DB") == null) {
          s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } else {
          System.out.println("kept database " + name);
        }
      }
    }
    return run;
  }

  private static boolean assigned(Admin admin, String group) throws Exception {
    Map<String, ConsumerGroupDescription> d =
        admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS);
    ConsumerGroupDescription g = d.get(group);
    return g != null
        && g.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
  }

  /**
   * Reads the topic through a few times before anything is timed, and asks the broker for a group's
   * offsets as the runs do. The broker runs in this JVM and was started seconds ago: in a one-run
   * profile its JIT compiler threads took 2.4 s of CPU while the first consumer was timed (the
   * fetch and offset paths compiled on first use), on a 2-core machine where the consumer, the
   * broker and PostgreSQL share the cores. A deployed broker has long been warm.
   */
  private static void warmBroker(TestKafka kafka, String topic, int total) throws Exception {
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    Properties cp = kafka.consumerProperties("bench-warm");
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (Admin admin = Admin.create(ap);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp)) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
      c.assign(parts);
      for (int pass = 1; pass <= 3; pass++) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MINUTES.toNanos(5);
        c.seekToBeginning(parts);
        long read = 0;
        long polls = 0;
        while (read < total) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "warming the broker: read " + read + " of " + total + " records in 5 minutes");
          }
          read += c.poll(Duration.ofMillis(200)).count();
          if (++polls % 10 == 0) {
            c.commitSync();
            committed(admin, "bench-warm");
          }
        }
        System.out.printf(
            "broker warm-up: the topic read in %.1f s (pass %d of 3)%n",
            (System.nanoTime() - start) / 1e9, pass);
      }
    }
  }

  /**
   * The server settings that move both the consumer's rate and the ceiling (docs/performance.md,
   * issue 4, session 11): figures are comparable only between runs with the same ones.
   */
  private static void printServerSettings(String url, String user, String password)
      throws Exception {
    StringBuilder out = new StringBuilder("PostgreSQL:");
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      for (String name :
          List.of(
              "server_version",
              "shared_buffers",
              "wal_buffers",
              "max_wal_size",
              "checkpoint_timeout",
              "wal_writer_delay",
              "wal_level",
              "synchronous_commit",
              "autovacuum")) {
        try (java.sql.ResultSet rs = s.executeQuery("SHOW " + name)) {
          rs.next();
          out.append(' ').append(name).append('=').append(rs.getString(1));
        }
      }
    }
    System.out.println(out);
  }

  private static long committed(Admin admin, String group) throws Exception {
    Collection<OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(5, TimeUnit.SECONDS)
            .values();
    AtomicLong sum = new AtomicLong();
    offsets.forEach(o -> sum.addAndGet(o == null ? 0 : o.offset()));
    return sum.get();
  }

  /** User + system CPU seconds of a process so far (Linux /proc), 0 if it cannot be read. */
  private static double cpuSeconds(long pid) {
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String kv : line.replaceFirst("^BENCH ", "").split(" ")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return out;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void summary(String what, double[] values, String format) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    System.out.printf(
        "%-21s %s  (%s .. %s)%n",
        what,
        String.format(format, median),
        String.format(format, v[0]),
        String.format(format, v[v.length - 1]));
  }
}
