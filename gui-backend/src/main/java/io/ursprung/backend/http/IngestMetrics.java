package io.ursprung.backend.http;

import io.ursprung.db.status.ConsumerStatus;
import io.ursprung.db.status.HostReport;
import io.ursprung.db.status.IngestStatus.HostSeen;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The ingest status (consumer instances, host reports, hosts of the graph) as Prometheus text: the
 * series the dashboard reads (docs/api.md lists them). A value that is not known (a consumer's lag
 * before its first fetch, a kernel status the plugin could not read) is left out, never written as
 * zero; the kernel's reason travels as a label of {@code ursprung_plugin_kernel_available}.
 */
public final class IngestMetrics {
  private IngestMetrics() {}

  /** What the store holds, or why it could not be read. */
  public record Snapshot(
      List<ConsumerStatus> consumers, List<HostReport> hosts, List<HostSeen> seen, String problem) {
    /** The store could not be read. */
    public static Snapshot unavailable(String problem) {
      return new Snapshot(List.of(), List.of(), List.of(), problem);
    }
  }

  /** Renders {@code s} as of {@code now}. */
  public static String render(Snapshot s, Instant now) {
    StringBuilder sb = new StringBuilder();
    gauge(sb, "ursprung_backend_time_seconds", "The server's clock (to judge staleness).");
    sb.append("ursprung_backend_time_seconds ").append(format(seconds(now))).append('\n');
    gauge(
        sb,
        "ursprung_ingest_status_up",
        "1 when the ingest status tables could be read, 0 otherwise.");
    sb.append("ursprung_ingest_status_up ").append(s.problem() == null ? 1 : 0).append('\n');
    if (s.problem() != null) {
      sb.append("# ingest status unavailable: ")
          .append(s.problem().replace('\n', ' '))
          .append('\n');
      return sb.toString();
    }

    List<ConsumerStatus> cs = s.consumers();
    Function<ConsumerStatus, String> cl =
        c ->
            labels(
                "source", c.source(),
                "instance", c.instanceId(),
                "group", c.groupId(),
                "topic", c.topic());
    series(
        sb,
        "gauge",
        "ursprung_consumer_up",
        "1 while the instance runs, 0 after it stopped.",
        cs,
        cl,
        c -> c.running() ? 1.0 : 0.0);
    series(
        sb,
        "counter",
        "ursprung_consumer_events_total",
        "Events the instance stored since it started.",
        cs,
        cl,
        c -> (double) c.eventsTotal());
    series(
        sb,
        "counter",
        "ursprung_consumer_batches_total",
        "Batches the instance committed since it started.",
        cs,
        cl,
        c -> (double) c.batchesTotal());
    series(
        sb,
        "counter",
        "ursprung_consumer_dead_lettered_total",
        "Messages the instance sent to the dead-letter topic (CamFlow: camflow_dead_letters)"
            + " since it started.",
        cs,
        cl,
        c -> (double) c.deadLetteredTotal());
    series(
        sb,
        "gauge",
        "ursprung_consumer_events_per_second",
        "Events stored per second over the instance's last report interval.",
        cs,
        cl,
        ConsumerStatus::eventsPerSecond);
    series(
        sb,
        "gauge",
        "ursprung_consumer_lag",
        "Messages behind the end of the instance's partitions at its last report (never for"
            + " CamFlow: MQTT has no lag).",
        cs,
        cl,
        c -> c.lag() == null ? null : (double) c.lag());
    series(
        sb,
        "gauge",
        "ursprung_consumer_last_batch_seconds",
        "Latency of the instance's last batch.",
        cs,
        cl,
        c -> c.lastBatchMs() == null ? null : c.lastBatchMs() / 1000.0);
    series(
        sb,
        "gauge",
        "ursprung_consumer_started_timestamp_seconds",
        "When the instance started.",
        cs,
        cl,
        c -> seconds(c.started()));
    series(
        sb,
        "gauge",
        "ursprung_consumer_updated_timestamp_seconds",
        "When the instance last reported.",
        cs,
        cl,
        c -> seconds(c.updated()));

    series(
        sb,
        "gauge",
        "ursprung_host_last_event_timestamp_seconds",
        "Event time of the latest event stored for a host or cluster.",
        s.seen(),
        h -> labels("host", h.host(), "kind", h.kind()),
        h -> seconds(h.lastSeen()));

    List<HostReport> hs = s.hosts();
    Function<HostReport, String> hl = h -> labels("host", h.host());
    series(
        sb,
        "gauge",
        "ursprung_plugin_kernel_available",
        "1 when the producer could read the kernel audit status; the reason label says why not.",
        hs,
        h ->
            h.kernelAvailable()
                ? hl.apply(h)
                : labels(
                    "host", h.host(), "reason", h.kernelReason() == null ? "" : h.kernelReason()),
        h -> h.kernelAvailable() ? 1.0 : 0.0);
    series(
        sb,
        "gauge",
        "ursprung_plugin_kernel_lost",
        "Audit records the kernel dropped since boot (auditctl -s: lost).",
        hs,
        hl,
        h -> number(h.kernelLost()));
    series(
        sb,
        "gauge",
        "ursprung_plugin_kernel_backlog",
        "Audit records waiting in the kernel queue.",
        hs,
        hl,
        h -> number(h.kernelBacklog()));
    series(
        sb,
        "gauge",
        "ursprung_plugin_kernel_backlog_limit",
        "The kernel audit queue's bound (auditctl -b).",
        hs,
        hl,
        h -> number(h.kernelBacklogLimit()));
    series(
        sb,
        "gauge",
        "ursprung_plugin_kernel_enabled",
        "Kernel audit: 0 off, 1 on, 2 locked.",
        hs,
        hl,
        h -> number(h.kernelEnabled()));
    series(
        sb,
        "counter",
        "ursprung_plugin_events_total",
        "Events the producer produced since it started.",
        hs,
        hl,
        h -> (double) h.eventsPublished());
    series(
        sb,
        "counter",
        "ursprung_plugin_input_dropped_total",
        "Input lines the producer dropped because it fell behind.",
        hs,
        hl,
        h -> (double) h.inputDropped());
    series(
        sb,
        "counter",
        "ursprung_plugin_dropped_total",
        "Events the producer dropped (spool full).",
        hs,
        hl,
        h -> (double) h.sinkDropped());
    series(
        sb,
        "counter",
        "ursprung_plugin_spooled_total",
        "Events the producer spooled to disk while the broker was unreachable.",
        hs,
        hl,
        h -> (double) h.spooled());
    series(
        sb,
        "gauge",
        "ursprung_plugin_spool_pending",
        "Events in the producer's spool not yet sent.",
        hs,
        hl,
        h -> (double) h.spoolPending());
    series(
        sb,
        "gauge",
        "ursprung_plugin_reported_timestamp_seconds",
        "Time of the host's latest status report.",
        hs,
        hl,
        h -> seconds(h.reported()));
    series(
        sb,
        "gauge",
        "ursprung_plugin_report_interval_seconds",
        "How often the host's producer reports.",
        hs,
        hl,
        h -> number(h.intervalSeconds()));
    return sb.toString();
  }

  private static <T> void series(
      StringBuilder sb,
      String type,
      String name,
      String help,
      List<T> rows,
      Function<T, String> labels,
      Function<T, Double> value) {
    List<String> lines = new ArrayList<>();
    for (T r : rows) {
      Double v = value.apply(r);
      if (v != null) {
        lines.add(name + labels.apply(r) + " " + format(v));
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    lines.forEach(l -> sb.append(l).append('\n'));
  }

  private static void gauge(StringBuilder sb, String name, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
  }

  /** {@code {k="v",...}} with values escaped as the text format requires. */
  static String labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    StringBuilder sb = new StringBuilder("{");
    m.forEach(
        (k, v) -> {
          if (sb.length() > 1) {
            sb.append(',');
          }
          sb.append(k)
              .append("=\"")
              .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
              .append('"');
        });
    return sb.append('}').toString();
  }

  private static Double number(Long v) {
    return v == null ? null : v.doubleValue();
  }

  private static double seconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    // Plain decimal notation: 1795168790.5, not 1.7951687905E9 (both parse, this one reads).
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
