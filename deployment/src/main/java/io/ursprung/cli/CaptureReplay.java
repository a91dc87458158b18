package io.ursprung.cli;

import io.ursprung.config.LocalHost;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.UrsprungVersion;
import io.ursprung.plugin.audit.AuditStreamProcessor;
import io.ursprung.plugin.sink.DiskSpool;
import io.ursprung.plugin.sink.EventSink;
import io.ursprung.plugin.sink.KafkaSink;
import io.ursprung.plugin.sink.SinkStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Audit record lines through the plugin's processing (event assembly, OS model) into the master's
 * Kafka topic, exactly as a worker's plugin sends them; the events are also kept for the caller
 * (the report of {@code ursprung run}).
 */
final class CaptureReplay {

  /** What was sent. */
  record Outcome(List<ProvEvent> events, SinkStats stats) {
    /** Events Kafka did not acknowledge (spooled or dropped). */
    long undelivered() {
      return stats.accepted() - stats.sent();
    }
  }

  private CaptureReplay() {}

  /**
   * Replays {@code data} (audit records, one per line) to {@code topic}.
   *
   * @param host host name for records without node=
   * @param program producer name in the events
   */
  static Outcome replay(
      byte[] data,
      String host,
      String program,
      String bootstrap,
      IntFunction<String> userNames,
      IntFunction<String> groupNames)
      throws IOException {
    List<ProvEvent> kept = new ArrayList<>();
    // The sink spools to disk while Kafka is unreachable; a replay is short-lived, so its spool is
    // a temporary directory and whatever is left there is reported as undelivered.
    Path spoolDir = Files.createTempDirectory("ursprung-replay-spool-");
    try {
      KafkaSink kafka =
          KafkaSink.create(
              List.of(bootstrap.split(",")),
              Map.of(),
              "auditd",
              program + "-" + host,
              DiskSpool.open(spoolDir, 256L << 20));
      EventSink tee =
          new EventSink() {
            @Override
            public void accept(ProvEvent event) {
              kept.add(event);
              kafka.accept(event);
            }

            @Override
            public void flush() {
              kafka.flush();
            }

            @Override
            public void close() {
              kafka.close();
            }
          };
      SinkStats stats;
      try (tee) {
        AuditStreamProcessor p =
            new AuditStreamProcessor(
                host, UrsprungVersion.producer(program), tee, userNames, groupNames, 2000, false);
        int start = 0;
        for (int i = 0; i < data.length; i++) {
          if (data[i] == '\n') {
            if (i > start) {
              p.acceptLine(data, start, i - start);
            }
            start = i + 1;
          }
        }
        if (start < data.length) {
          p.acceptLine(data, start, data.length - start);
        }
        p.endOfInput();
        stats = kafka.stats();
      }
      return new Outcome(kept, stats);
    } finally {
      try (Stream<Path> all = Files.walk(spoolDir)) {
        all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The host name the plugin uses for records without node=. */
  static String localHost() {
    return LocalHost.name().orElse("localhost");
  }
}
