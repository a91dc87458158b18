package io.ursprung.plugin.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.ProvEvent;
import org.junit.jupiter.api.Test;

class HostNameTest {

  @Test
  void anyNodeNameBecomesAHostNameTheConsumersAccept() {
    assertEquals("worker01", AuditStreamProcessor.sanitizeHost("worker01"));
    assertEquals("node17.cluster.local", AuditStreamProcessor.sanitizeHost("node17.cluster.local"));
    assertEquals("fe80--1", AuditStreamProcessor.sanitizeHost("fe80::1"));
    assertEquals("my-node", AuditStreamProcessor.sanitizeHost("my node"));
    assertEquals("h.hidden", AuditStreamProcessor.sanitizeHost(".hidden"));
    assertEquals("localhost", AuditStreamProcessor.sanitizeHost(" "));
    for (String odd :
        new String[] {"fe80::1", "a b\tc", "-x", "_y", "wörker", "x".repeat(300), "a:b/c@d", "?"}) {
      String h = AuditStreamProcessor.sanitizeHost(odd);
      assertTrue(ProvEvent.HOST_NAME.matcher(h).matches(), odd + " -> " + h);
      assertEquals(h, AuditStreamProcessor.sanitizeHost(odd), "deterministic");
    }
  }
}
