package io.ursprung.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventCodec;
import io.ursprung.events.HostStatus;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.audit.AuditStats;
import io.ursprung.plugin.nativeaccess.AuditStatus;
import io.ursprung.plugin.nativeaccess.AuditStatusResult;
import io.ursprung.plugin.sink.SinkStats;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostStatusEventsTest {
  private static final Producer P = new Producer("ursprung-auditd-plugin", "1.0");
  private static final Instant NOW = Instant.parse("2026-11-20T09:14:00.123456Z");
  private static final PluginStats STATS =
      new PluginStats(
          new AuditStats(1000, 400, 350, 2, 1),
          new SinkStats(351, 300, 40, 5, 11, 4096),
          123456,
          7,
          Optional.empty());

  @Test
  void kernelStatusAndCountersAreCarried() throws Exception {
    ProvEvent e =
        HostStatusEvents.of(
            "worker01",
            P,
            NOW,
            STATS,
            AuditStatusResult.of(new AuditStatus(1, 1, 812, 0, 8192, 17, 3)),
            30);
    assertEquals("worker01", e.host());
    assertEquals("worker01:host.status:" + NOW.toEpochMilli(), e.id());
    assertEquals(Instant.parse("2026-11-20T09:14:00.123Z"), e.time());
    HostStatus s = (HostStatus) e.data();
    assertTrue(s.kernel().available());
    assertNull(s.kernel().reason());
    assertEquals(17L, s.kernel().lost());
    assertEquals(3L, s.kernel().backlog());
    assertEquals(8192L, s.kernel().backlogLimit());
    assertEquals(1L, s.kernel().enabled());
    assertEquals(new HostStatus.Counters(350, 7, 5, 40, 11), s.counters());
    assertEquals(30L, s.intervalSeconds());
    // What goes on the wire reads back the same.
    EventCodec codec = new EventCodec();
    assertEquals(e, codec.fromJson(codec.toJson(e)));
  }

  @Test
  void anUnreadableKernelStatusSaysWhyAndInventsNoZeros() throws Exception {
    ProvEvent e =
        HostStatusEvents.of(
            "worker02",
            P,
            NOW,
            STATS,
            AuditStatusResult.unavailable("AUDIT_GET refused: Operation not permitted"),
            30);
    HostStatus s = (HostStatus) e.data();
    assertFalse(s.kernel().available());
    assertEquals("AUDIT_GET refused: Operation not permitted", s.kernel().reason());
    assertNull(s.kernel().lost());
    assertNull(s.kernel().backlog());
    String json = new EventCodec().toJson(e);
    assertFalse(json.contains("\"lost\""), json);
    assertTrue(json.contains("\"reason\":\"AUDIT_GET refused"), json);
  }
}
