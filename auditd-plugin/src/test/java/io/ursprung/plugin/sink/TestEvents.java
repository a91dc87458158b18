package io.ursprung.plugin.sink;

import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.UrsprungVersion;
import java.time.Instant;

final class TestEvents {
  private TestEvents() {}

  static ProvEvent exit(String host, int serial) {
    Instant t = Instant.parse("2026-11-20T09:14:03.510Z").plusMillis(serial);
    return ProvEvent.of(
        host + ":auditd:" + serial + ":0",
        UrsprungVersion.producer("ursprung-auditd-plugin"),
        host,
        t,
        new ProcessExited(new ProcessRef(1000 + serial, t.minusSeconds(1)), 0, null, "exit"));
  }
}
