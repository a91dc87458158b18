package io.ursprung.bench;

import io.ursprung.embedded.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The whole auditd plugin as auditd runs it: a separate {@code bin/ursprung plugin} process with a
 * 256 MB heap cap, audit records on its stdin, events into a real Kafka broker (in this JVM).
 * Beside it, in the same run and on the same input, the libauparse baseline ({@code
 * shared/bench/auparse-baseline.sh}). Not a test: run {@code
 * it-tests/bench/run-plugin-kafka-bench.sh}.
 *
 * <p>Arguments: repository root, capture (.gz), rounds, copies in the long run (default 4).
 */
public final class PluginKafkaBench {
  private PluginKafkaBench() {}

  record Round(double seconds, double cpuSeconds, long peakRssKb, long events) {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]).toAbsolutePath().normalize();
    Path capture = Path.of(args[1]).toAbsolutePath().normalize();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path work = Files.createTempDirectory("ursprung-plugin-bench-");
    Path plain = work.resolve("capture.log");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(capture));
        OutputStream out = Files.newOutputStream(plain)) {
      in.transferTo(out);
    }
    long lines;
    try (var s = Files.lines(plain, StandardCharsets.ISO_8859_1)) {
      lines = s.count();
    }
    // A longer stream of the same workload, for the steady-state rate: the capture four times, each
    // copy's audit serials and clock moved on so it reads as the same host working on.
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    Path longer = work.resolve("capture-x" + repeats + ".log");
    repeat(plain, longer, repeats);

    // The native ceiling first, on the same machine, right before the plugin.
    double[] baseline = baseline(repo.resolve("../shared/bench/auparse-baseline.sh"), capture);
    double baselineEvents = baseline[0];
    double baselineSeconds = baseline[1];

    List<Round> results = new ArrayList<>();
    List<Round> longResults = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, "127.0.0.1");
        Admin admin = admin(kafka.bootstrapServers())) {
      for (int i = 0; i < rounds + 1; i++) {
        String topic = "auditd-bench-" + i;
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        Round r =
            runPlugin(repo, kafka.bootstrapServers(), topic, plain, work.resolve("spool-" + i));
        long inKafka = countMessages(admin, topic);
        if (i == 0) {
          System.out.printf(
              Locale.ROOT, "warm-up round: %.2f s, %d events in Kafka%n", r.seconds(), inKafka);
          continue; // first round warms the broker and the page cache
        }
        results.add(new Round(r.seconds(), r.cpuSeconds(), r.peakRssKb(), inKafka));
        String topicLong = "auditd-bench-long-" + i;
        admin.createTopics(List.of(new NewTopic(topicLong, 4, (short) 1))).all().get();
        Round rl =
            runPlugin(
                repo, kafka.bootstrapServers(), topicLong, longer, work.resolve("spool-l" + i));
        longResults.add(
            new Round(
                rl.seconds(), rl.cpuSeconds(), rl.peakRssKb(), countMessages(admin, topicLong)));
      }
    }
    Collections.sort(longResults, (a, b) -> Double.compare(a.seconds(), b.seconds()));

    Collections.sort(results, (a, b) -> Double.compare(a.seconds(), b.seconds()));
    Round median = results.get(results.size() / 2);
    double auditEventsPerSec = baselineEvents / median.seconds();
    double provEventsPerSec = median.events() / median.seconds();
    System.out.println();
    System.out.println(
        "== auditd plugin, stdin -> parse + OS model -> Kafka (separate process, -Xmx256m)");
    System.out.printf(Locale.ROOT, "input: %s (%d records)%n", capture.getFileName(), lines);
    System.out.printf(
        Locale.ROOT,
        "baseline libauparse: %.0f audit events in %.3f s = %.0f events/s%n",
        baselineEvents,
        baselineSeconds,
        baselineEvents / baselineSeconds);
    for (Round r : results) {
      System.out.printf(
          Locale.ROOT,
          "plugin round: %.3f s wall, %.3f s CPU, peak RSS %d MB, %d provenance events in Kafka%n",
          r.seconds(),
          r.cpuSeconds(),
          r.peakRssKb() / 1024,
          r.events());
    }
    System.out.printf(
        Locale.ROOT,
        "plugin (median of %d, incl. JVM start-up): %.0f audit events/s, %.0f provenance events/s,"
            + " %.2f CPU us per audit event, heap cap 256 MB, peak RSS %d MB%n",
        results.size(),
        auditEventsPerSec,
        provEventsPerSec,
        median.cpuSeconds() * 1e6 / baselineEvents,
        median.peakRssKb() / 1024);
    System.out.printf(
        Locale.ROOT,
        "ratio to baseline, whole run (audit events/s): %.2fx%n",
        auditEventsPerSec / (baselineEvents / baselineSeconds));
    Round longMedian = longResults.get(longResults.size() / 2);
    double extraSeconds = longMedian.seconds() - median.seconds();
    double extraAudit = baselineEvents * (repeats - 1);
    double extraProv = longMedian.events() - median.events();
    System.out.printf(
        Locale.ROOT,
        "%dx input (median): %.3f s wall, %.3f s CPU, peak RSS %d MB, %d provenance events%n",
        repeats,
        longMedian.seconds(),
        longMedian.cpuSeconds(),
        longMedian.peakRssKb() / 1024,
        longMedian.events());
    System.out.printf(
        Locale.ROOT,
        "steady state (the extra %d copies over the 1x run): %.0f audit events/s, %.0f provenance"
            + " events/s, %.2f CPU us per audit event%n",
        repeats - 1,
        extraAudit / extraSeconds,
        extraProv / extraSeconds,
        (longMedian.cpuSeconds() - median.cpuSeconds()) * 1e6 / extraAudit);
    System.out.printf(
        Locale.ROOT,
        "ratio to baseline, steady state (audit events/s): %.2fx%n",
        (extraAudit / extraSeconds) / (baselineEvents / baselineSeconds));
    deleteRecursively(work);
  }

  static Round runPlugin(Path repo, String bootstrap, String topic, Path input, Path spool)
      throws Exception {
    ProcessBuilder pb =
        // --input is the plugin's replay path: the same reader, parser, model and sink as stdin,
        // but it waits for the processing thread instead of shedding load, so nothing is dropped
        // when a file arrives faster than any kernel produces audit records.
        new ProcessBuilder(
                repo.resolve("bin/ursprung").toString(), "plugin", "--input", input.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    // The heap cap is the target's; URSPRUNG_BENCH_JAVA_OPTS adds options (a profiler, say).
    env.put(
        "URSPRUNG_JAVA_OPTS",
        "-Xmx256m -XX:+UseSerialGC "
            + System.getenv().getOrDefault("URSPRUNG_BENCH_JAVA_OPTS", ""));
    env.put("URSPRUNG_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("URSPRUNG_PLUGIN_TOPIC", topic);
    env.put("URSPRUNG_PLUGIN_SPOOL_DIR", spool.toString());
    env.put("URSPRUNG_PLUGIN_HOST", "bench");
    long start = System.nanoTime();
    Process p = pb.start();
    long pid = p.pid();
    long peakRss = 0;
    double cpu = 0;
    long ticks = 100; // USER_HZ on Linux
    while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
      try {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (l.startsWith("VmHWM:")) {
            peakRss = Math.max(peakRss, Long.parseLong(l.replaceAll("\\D", "")));
          }
        }
        String[] stat =
            Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        cpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / (double) ticks;
      } catch (IOException | RuntimeException e) {
        // The process is exiting between two reads.
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (p.exitValue() != 0) {
      throw new IllegalStateException("plugin exited with " + p.exitValue());
    }
    return new Round(seconds, cpu, peakRss, 0);
  }

  /** Writes {@code copies} copies of an audit stream, each with later serials and times. */
  static void repeat(Path in, Path out, int copies) throws IOException {
    byte[] marker = "msg=audit(".getBytes(StandardCharsets.US_ASCII);
    List<byte[]> lines = new ArrayList<>();
    for (String l : Files.readAllLines(in, StandardCharsets.ISO_8859_1)) {
      lines.add(l.getBytes(StandardCharsets.ISO_8859_1));
    }
    try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
      for (int k = 0; k < copies; k++) {
        for (byte[] line : lines) {
          int at = indexOf(line, marker);
          if (at < 0 || k == 0) {
            o.write(line);
          } else {
            int start = at + marker.length;
            int dot = indexOf(line, new byte[] {'.'}, start);
            int colon = indexOf(line, new byte[] {':'}, dot);
            int close = indexOf(line, new byte[] {')'}, colon);
            long sec =
                Long.parseLong(new String(line, start, dot - start, StandardCharsets.US_ASCII));
            long serial =
                Long.parseLong(
                    new String(line, colon + 1, close - colon - 1, StandardCharsets.US_ASCII));
            o.write(line, 0, start);
            o.write(Long.toString(sec + 86_400L * k).getBytes(StandardCharsets.US_ASCII));
            o.write(line, dot, colon + 1 - dot);
            o.write(Long.toString(serial + 10_000_000L * k).getBytes(StandardCharsets.US_ASCII));
            o.write(line, close, line.length - close);
          }
          o.write('\n');
        }
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    return indexOf(hay, needle, 0);
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static long countMessages(Admin admin, String topic) throws Exception {
    var parts =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(pi -> new TopicPartition(topic, pi.partition()))
            .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    return admin.listOffsets(parts).all().get().values().stream().mapToLong(o -> o.offset()).sum();
  }

  static double[] baseline(Path script, Path capture) throws Exception {
    Process p =
        new ProcessBuilder("bash", script.toString(), capture.toString())
            .redirectErrorStream(true)
            .start();
    double events = -1;
    double seconds = -1;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] w = line.trim().split("\\s+");
        if (w.length >= 4 && w[1].equals("events") && w[3].equals("records")) {
          events = Double.parseDouble(w[0]);
        } else if (line.contains("seconds")) {
          seconds = Double.parseDouble(line.replaceAll("[^0-9.]", ""));
        }
      }
    }
    p.waitFor();
    if (events < 0 || seconds <= 0) {
      throw new IllegalStateException("could not read the baseline's output");
    }
    return new double[] {events, seconds};
  }

  static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (var all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
