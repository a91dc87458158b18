package io.ursprung.plugin.bench;

import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.audit.AuditStats;
import io.ursprung.plugin.audit.AuditStreamProcessor;
import io.ursprung.plugin.sink.EventSink;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Throughput of parse + assembly + OS model on a real capture, against libauparse's feed API on the
 * same input (the native baseline script). Not a test: run it with {@code
 * bench/run-parse-bench.sh}.
 *
 * <p>Arguments: [capture file (.gz ok)] [warm-up rounds] [measured rounds] [baseline script].
 */
public final class ParseModelBench {
  private ParseModelBench() {}

  /** Counts events without keeping them, so the sink costs nothing measurable. */
  private static final class CountingSink implements EventSink {
    long count;

    @Override
    public void accept(ProvEvent event) {
      count++;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private record Round(
      long records, long auditEvents, long provEvents, long nanos, long cpuNanos) {}

  public static void main(String[] args) throws Exception {
    Path file =
        Path.of(
            args.length > 0 ? args[0] : "../shared/testdata/audit/bulk-bob.plugin-stream.log.gz");
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String baseline = args.length > 3 ? args[3] : "../shared/bench/auparse-baseline.sh";
    if (!Files.exists(file)) {
      System.err.println("capture not found: " + file.toAbsolutePath());
      System.exit(2);
    }

    long t0 = System.nanoTime();
    byte[] data = load(file);
    long loadNanos = System.nanoTime() - t0;
    System.out.printf(
        Locale.ROOT,
        "input %s: %,d bytes decompressed in %.1f ms (not counted below)%n",
        file,
        data.length,
        loadNanos / 1e6);

    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < warmup; i++) {
      Round r = run(data, mx);
      print("warm-up " + (i + 1), r);
    }
    long bestNanos = Long.MAX_VALUE;
    long sumNanos = 0;
    long sumCpu = 0;
    Round last = null;
    for (int i = 0; i < rounds; i++) {
      Round r = run(data, mx);
      print("round " + (i + 1), r);
      bestNanos = Math.min(bestNanos, r.nanos);
      sumNanos += r.nanos;
      sumCpu += r.cpuNanos;
      last = r;
    }
    double meanSec = sumNanos / 1e9 / rounds;
    double eventsPerSec = last.auditEvents / meanSec;
    double recordsPerSec = last.records / meanSec;
    double provPerSec = last.provEvents / meanSec;
    double cpuUsPerEvent = sumCpu / 1e3 / rounds / last.auditEvents;
    System.out.printf(
        Locale.ROOT,
        "java: %,d records, %,d audit events, %,d provenance events; mean %.3f s, best %.3f s%n",
        last.records,
        last.auditEvents,
        last.provEvents,
        meanSec,
        bestNanos / 1e9);
    System.out.printf(
        Locale.ROOT,
        "java: %,.0f records/s, %,.0f audit events/s, %,.0f provenance events/s,"
            + " %.2f CPU us per audit event%n",
        recordsPerSec,
        eventsPerSec,
        provPerSec,
        cpuUsPerEvent);

    Path script = Path.of(baseline);
    if (!Files.exists(script)) {
      System.out.println("baseline script not found: " + script.toAbsolutePath());
      return;
    }
    long[] base = runBaseline(script, file);
    if (base == null) {
      return;
    }
    double baseSec = base[2] / 1e9;
    double baseEventsPerSec = base[0] / baseSec;
    System.out.printf(
        Locale.ROOT,
        "auparse: %,d events, %,d records in %.3f s (incl. gunzip): %,.0f events/s%n",
        base[0],
        base[1],
        baseSec,
        baseEventsPerSec);
    System.out.printf(
        Locale.ROOT,
        "ratio java/auparse (audit events/s, mean round): %.2fx%n",
        eventsPerSec / baseEventsPerSec);
    if (file.toString().endsWith(".gz")) {
      // the script's figure includes gunzip in a pipe; measure it on the plain file as well
      Path plain = Files.createTempFile("audit-bench", ".log");
      try {
        Files.write(plain, data);
        long[] b2 = runBaseline(script, plain);
        if (b2 != null) {
          double eps2 = b2[0] / (b2[2] / 1e9);
          System.out.printf(
              Locale.ROOT,
              "auparse on the decompressed file: %.3f s, %,.0f events/s; ratio %.2fx%n",
              b2[2] / 1e9,
              eps2,
              eventsPerSec / eps2);
        }
      } finally {
        Files.deleteIfExists(plain);
      }
    }
  }

  private static void print(String label, Round r) {
    System.out.printf(
        Locale.ROOT,
        "%-10s %.3f s wall, %.3f s cpu, %,.0f events/s%n",
        label,
        r.nanos / 1e9,
        r.cpuNanos / 1e9,
        r.auditEvents / (r.nanos / 1e9));
  }

  private static Round run(byte[] data, ThreadMXBean mx) {
    CountingSink sink = new CountingSink();
    AuditStreamProcessor p =
        new AuditStreamProcessor(
            "bench",
            new Producer("ursprung-auditd-plugin", "bench"),
            sink,
            uid -> uid == 0 ? "root" : "user" + uid,
            gid -> gid == 0 ? "root" : "group" + gid,
            2000,
            false);
    long cpu0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    int start = 0;
    final int n = data.length;
    for (int i = 0; i < n; i++) {
      if (data[i] == '\n') {
        p.acceptLine(data, start, i - start);
        start = i + 1;
      }
    }
    if (start < n) {
      p.acceptLine(data, start, n - start);
    }
    p.endOfInput();
    long nanos = System.nanoTime() - t0;
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    AuditStats s = p.stats();
    return new Round(s.records(), s.auditEvents(), sink.count, nanos, cpu);
  }

  private static byte[] load(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      ByteArrayOutputStream bo = new ByteArrayOutputStream(1 << 24);
      in.transferTo(bo);
      return bo.toByteArray();
    }
  }

  /** Returns {events, records, nanos} from the script's output, or null. */
  private static long[] runBaseline(Path script, Path file) throws Exception {
    Process proc =
        new ProcessBuilder("bash", script.toString(), file.toString())
            .redirectErrorStream(true)
            .start();
    long events = -1;
    long records = -1;
    double seconds = -1;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] w = line.trim().split("\\s+");
        if (w.length == 4 && w[1].equals("events") && w[3].equals("records")) {
          events = Long.parseLong(w[0]);
          records = Long.parseLong(w[2]);
        } else if (w.length == 2 && w[0].equals("seconds")) {
          seconds = Double.parseDouble(w[1]);
        } else if (!line.isBlank()) {
          System.out.println("baseline: " + line);
        }
      }
    }
    int rc = proc.waitFor();
    if (rc != 0 || events < 0 || seconds <= 0) {
      System.out.println("baseline failed (exit " + rc + ")");
      return null;
    }
    return new long[] {events, records, (long) (seconds * 1e9)};
  }
}
