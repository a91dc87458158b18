package io.ursprung.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.db.status.ConsumerStatus;
import io.ursprung.db.status.HostReport;
import io.ursprung.db.status.IngestStatus.HostSeen;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
  private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant T = Instant.parse("2026-11-20T09:59:50.500Z");

  private static ConsumerStatus consumer(String id, boolean running, Long lag, Double batchMs) {
    return new ConsumerStatus(
        id,
        "auditd",
        "auditd",
        "ursprung-consumer-auditd",
        "master",
        T.minusSeconds(60),
        T,
        running,
        1200,
        7,
        3,
        12.5,
        lag,
        batchMs);
  }

  @Test
  void consumersAreRenderedPerInstanceWithUnknownValuesLeftOut() {
    String text =
        IngestMetrics.render(
            new IngestMetrics.Snapshot(
                List.of(
                    consumer("master/auditd/42-x", true, 5L, 250.0),
                    consumer("master/auditd/43-y", false, null, null)),
                List.of(),
                List.of(),
                null),
            NOW);
    String l1 =
        "{source=\"auditd\",instance=\"master/auditd/42-x\",group=\"ursprung-consumer-auditd\","
            + "topic=\"auditd\"}";
    String l2 = l1.replace("42-x", "43-y");
    assertTrue(text.contains("ursprung_backend_time_seconds 1795168800\n"), text);
    assertTrue(text.contains("ursprung_ingest_status_up 1\n"), text);
    assertTrue(text.contains("# TYPE ursprung_consumer_events_total counter\n"), text);
    assertTrue(text.contains("ursprung_consumer_events_total" + l1 + " 1200\n"), text);
    assertTrue(text.contains("ursprung_consumer_dead_lettered_total" + l2 + " 3\n"), text);
    assertTrue(text.contains("ursprung_consumer_up" + l1 + " 1\n"), text);
    assertTrue(text.contains("ursprung_consumer_up" + l2 + " 0\n"), text);
    assertTrue(text.contains("ursprung_consumer_lag" + l1 + " 5\n"), text);
    assertFalse(text.contains("ursprung_consumer_lag" + l2), "unknown lag is not zero: " + text);
    assertTrue(text.contains("ursprung_consumer_last_batch_seconds" + l1 + " 0.25\n"), text);
    assertTrue(text.contains("ursprung_consumer_events_per_second" + l1 + " 12.5\n"), text);
    assertTrue(
        text.contains("ursprung_consumer_updated_timestamp_seconds" + l1 + " 1795168790.5\n"),
        text);
    // No host reports: no plugin series at all (the dashboard then says "no data yet").
    assertFalse(text.contains("ursprung_plugin_"), text);
  }

  @Test
  void hostReportsCarryKernelFiguresOrTheReasonTheyAreMissing() {
    HostReport ok =
        new HostReport(
            "worker01",
            T,
            NOW,
            "ursprung-auditd-plugin/1.0",
            30L,
            true,
            null,
            1L,
            17L,
            3L,
            8192L,
            5000,
            0,
            0,
            12,
            0);
    HostReport no =
        new HostReport(
            "worker02",
            T,
            NOW,
            "ursprung-auditd-plugin/1.0",
            30L,
            false,
            "AUDIT_GET refused: \"EPERM\"",
            null,
            null,
            null,
            null,
            10,
            1,
            2,
            0,
            0);
    String text =
        IngestMetrics.render(
            new IngestMetrics.Snapshot(
                List.of(),
                List.of(ok, no),
                List.of(new HostSeen("worker01", "host", T.minusSeconds(3600), T)),
                null),
            NOW);
    assertTrue(text.contains("ursprung_plugin_kernel_available{host=\"worker01\"} 1\n"), text);
    assertTrue(
        text.contains(
            "ursprung_plugin_kernel_available{host=\"worker02\",reason=\"AUDIT_GET refused:"
                + " \\\"EPERM\\\"\"} 0\n"),
        text);
    assertTrue(text.contains("ursprung_plugin_kernel_lost{host=\"worker01\"} 17\n"), text);
    assertFalse(text.contains("ursprung_plugin_kernel_lost{host=\"worker02\"}"), text);
    assertTrue(text.contains("ursprung_plugin_kernel_backlog_limit{host=\"worker01\"} 8192\n"));
    assertTrue(text.contains("ursprung_plugin_input_dropped_total{host=\"worker02\"} 1\n"), text);
    assertTrue(text.contains("ursprung_plugin_dropped_total{host=\"worker02\"} 2\n"), text);
    assertTrue(
        text.contains(
            "ursprung_host_last_event_timestamp_seconds{host=\"worker01\",kind=\"host\"}"
                + " 1795168790.5\n"),
        text);
    assertFalse(text.contains("ursprung_consumer_"), text);
    // Every sample line belongs to a series announced with HELP and TYPE before it.
    String current = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        current = line.split(" ")[2];
      } else if (!line.startsWith("#")) {
        assertEquals(current, line.replaceAll("[{ ].*", ""), line);
      }
    }
  }

  @Test
  void anUnreadableStoreIsSaidAndNothingInvented() {
    String text =
        IngestMetrics.render(IngestMetrics.Snapshot.unavailable("the store cannot be read"), NOW);
    assertTrue(text.contains("ursprung_ingest_status_up 0\n"), text);
    assertFalse(text.contains("ursprung_consumer_"), text);
  }
}
