package io.ursprung.it.bench;

import io.ursprung.events.EventCodec;
import io.ursprung.events.ProvEvent;
import io.ursprung.it.BenchSupport;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU per event of the consumer's decoder, single-threaded and warm, on a capture's events: the
 * hand-written readers ({@link EventCodec#fromBytes}) against databind alone ({@link
 * EventCodec#fromBytesDatabind}), and the COPY escaping's scan of the archived JSON (a {@code
 * charAt} loop, as before, against {@code String.indexOf}). The end-to-end benchmark ({@link
 * ConsumerBench}) is too noisy on a shared machine to show changes of a microsecond. Not a test;
 * run from it-tests with the test classpath, argument: capture (default bulk-bob).
 */
public final class DecoderCpuBench {
  public static void main(String[] args) throws Exception {
    Path capture =
        Path.of(
            args.length > 0
                ? args[0]
                : "../../shared/testdata/audit/bulk-bob.plugin-stream.log.gz");
    List<ProvEvent> events = BenchSupport.captureEvents(capture, 1, new ArrayList<>());
    EventCodec codec = new EventCodec();
    List<byte[]> bytes = new ArrayList<>();
    for (ProvEvent e : events) {
      bytes.add(codec.toBytes(e));
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 1; round <= 8; round++) {
      long t0 = threads.getCurrentThreadCpuTime();
      for (byte[] b : bytes) {
        sink += codec.fromBytesDatabind(b).id().length();
      }
      long t1 = threads.getCurrentThreadCpuTime();
      for (byte[] b : bytes) {
        sink += codec.fromBytes(b).id().length();
      }
      long t2 = threads.getCurrentThreadCpuTime();
      for (byte[] b : bytes) {
        sink += charAtScan(new String(b, StandardCharsets.UTF_8));
      }
      long t3 = threads.getCurrentThreadCpuTime();
      for (byte[] b : bytes) {
        sink += indexOfScan(new String(b, StandardCharsets.UTF_8));
      }
      long t4 = threads.getCurrentThreadCpuTime();
      double n = bytes.size() * 1e3;
      System.out.printf(
          "round %d (%,d events): decode databind %.2f us, fast %.2f us; escape scan charAt %.2f"
              + " us, indexOf %.2f us (CPU per event, scans incl. making the String)%n",
          round, bytes.size(), (t1 - t0) / n, (t2 - t1) / n, (t3 - t2) / n, (t4 - t3) / n);
    }
    System.out.println(sink == 42 ? "" : "done");
  }

  /**
   * The scan text COPY escaping used first: char by char (text COPY is gone; kept for the record).
   */
  private static int charAtScan(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\0') {
        break;
      }
      i++;
    }
    return i;
  }

  /** The scan it used later, until every table went to binary COPY. */
  private static int indexOfScan(String s) {
    return min(
        min(s.indexOf('\\'), s.indexOf('\n')),
        min(min(s.indexOf('\r'), s.indexOf('\t')), s.indexOf('\0')));
  }

  private static int min(int a, int b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }
}
