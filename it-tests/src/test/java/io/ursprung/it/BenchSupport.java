package io.ursprung.it;

import io.ursprung.events.ProvEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Gives the benchmarks in {@code io.ursprung.it.bench} the test helpers of this package. */
public final class BenchSupport {
  private BenchSupport() {}

  /** Audit serials of copy k are moved on by k times this (captures have far fewer). */
  static final long SERIAL_STEP = 10_000_000L;

  /** The clock of copy k is moved on by k days, so its processes start at new times. */
  static final long SECONDS_STEP = 86_400L;

  /** The plugin's events for a capture file. */
  public static List<ProvEvent> captureEvents(Path capture) throws IOException {
    return AuditCapture.events(capture);
  }

  /**
   * The plugin's events for {@code copies} copies of a capture played one after another into one
   * plugin, as the same host working on: in copy k every record's audit serial is moved on by k ×
   * 10,000,000 and its clock by k days, so every event has a new id and every process a new start
   * time (its key), while the workload (event mix, files, pids) stays the capture's. {@code ends}
   * receives how many events the first 1, 2, … copies produced.
   */
  public static List<ProvEvent> captureEvents(Path capture, int copies, List<Integer> ends)
      throws IOException {
    byte[] plain;
    try (InputStream in =
        capture.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(capture))
            : Files.newInputStream(capture)) {
      plain = in.readAllBytes();
    }
    List<byte[]> streams = new ArrayList<>();
    for (int k = 0; k < copies; k++) {
      streams.add(k == 0 ? plain : shifted(plain, k));
    }
    return AuditCapture.events(streams, "worker01", ends);
  }

  /** The capture with every {@code msg=audit(sec.ms:serial)} moved on as copy {@code k}. */
  static byte[] shifted(byte[] in, int k) {
    byte[] marker = "msg=audit(".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 20);
    int lineStart = 0;
    for (int i = 0; i <= in.length; i++) {
      if (i < in.length && in[i] != '\n') {
        continue;
      }
      int at = indexOf(in, marker, lineStart, i);
      int end = Math.min(i + 1, in.length);
      if (at < 0) {
        out.write(in, lineStart, end - lineStart);
      } else {
        int start = at + marker.length;
        int dot = indexOf(in, new byte[] {'.'}, start, i);
        int colon = indexOf(in, new byte[] {':'}, dot, i);
        int close = indexOf(in, new byte[] {')'}, colon, i);
        long sec = Long.parseLong(new String(in, start, dot - start, StandardCharsets.US_ASCII));
        long serial =
            Long.parseLong(new String(in, colon + 1, close - colon - 1, StandardCharsets.US_ASCII));
        out.write(in, lineStart, start - lineStart);
        out.writeBytes(Long.toString(sec + SECONDS_STEP * k).getBytes(StandardCharsets.US_ASCII));
        out.write(in, dot, colon + 1 - dot);
        out.writeBytes(Long.toString(serial + SERIAL_STEP * k).getBytes(StandardCharsets.US_ASCII));
        out.write(in, close, end - close);
      }
      lineStart = i + 1;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle, int from, int to) {
    outer:
    for (int i = Math.max(0, from); i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
