package io.ursprung.it;

import io.ursprung.events.ProvEvent;
import io.ursprung.events.UrsprungVersion;
import io.ursprung.plugin.audit.AuditStreamProcessor;
import io.ursprung.plugin.sink.EventSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Runs a real audit capture through the auditd plugin's parser and OS model. */
final class AuditCapture {
  static final Path TESTDATA =
      Path.of("..", "..", "shared", "testdata", "audit").toAbsolutePath().normalize();

  private AuditCapture() {}

  /** The provenance events the plugin makes of a plugin-stream log (plain or .gz). */
  static List<ProvEvent> events(Path log) throws IOException {
    return events(log, "worker01");
  }

  /**
   * The same, as if the capture had been made on another host: its {@code node=worker01} records
   * are renamed, so one capture can stand for runs on two hosts.
   */
  static List<ProvEvent> events(Path log, String host) throws IOException {
    byte[] all;
    try (InputStream in =
        log.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(log))
            : Files.newInputStream(log)) {
      all = in.readAllBytes();
    }
    if (!host.equals("worker01")) {
      all =
          new String(all, java.nio.charset.StandardCharsets.ISO_8859_1)
              .replace("node=worker01 ", "node=" + host + " ")
              .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    return events(List.of(all), host, new ArrayList<>());
  }

  /**
   * The events of several audit streams fed one after another to one plugin (one OS model, as a
   * host that keeps working). {@code ends} receives, per stream, how many events had been emitted
   * when its last line was read (the last one includes what the end of input flushes).
   */
  static List<ProvEvent> events(List<byte[]> streams, String host, List<Integer> ends) {
    List<ProvEvent> out = new ArrayList<>();
    EventSink sink =
        new EventSink() {
          @Override
          public void accept(ProvEvent event) {
            out.add(event);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    AuditStreamProcessor p =
        new AuditStreamProcessor(
            host,
            UrsprungVersion.producer("ursprung-auditd-plugin"),
            sink,
            u -> u == 1001 ? "bob" : null,
            g -> null,
            2000,
            false);
    for (byte[] all : streams) {
      int s = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          p.acceptLine(all, s, i - s);
          s = i + 1;
        }
      }
      ends.add(out.size());
    }
    p.endOfInput();
    ends.set(ends.size() - 1, out.size());
    return out;
  }
}
