package io.ursprung.plugin;

import io.ursprung.events.HostStatus;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.nativeaccess.AuditStatus;
import io.ursprung.plugin.nativeaccess.AuditStatusResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Builds the plugin's {@code host.status} events from its counters and the kernel audit status.
 * Where the kernel status could not be read the event says why and carries no kernel numbers, so
 * that the dashboard never shows an invented zero as "nothing lost".
 */
final class HostStatusEvents {
  private HostStatusEvents() {}

  /**
   * The event for one report.
   *
   * @param host the host name the plugin stamps on its events
   * @param producer the plugin as producer
   * @param now the report time (milliseconds are kept; the id is unique per host and millisecond)
   * @param stats the plugin's counters
   * @param kernel the kernel's answer, or null when the status was not queried (replay)
   * @param intervalSeconds how often the plugin reports
   */
  static ProvEvent of(
      String host,
      Producer producer,
      Instant now,
      PluginStats stats,
      AuditStatusResult kernel,
      long intervalSeconds) {
    Instant t = now.truncatedTo(ChronoUnit.MILLIS);
    HostStatus.Kernel k;
    if (kernel == null) {
      k = HostStatus.Kernel.unavailable("not queried");
    } else if (kernel.status().isPresent()) {
      AuditStatus s = kernel.status().get();
      k = HostStatus.Kernel.of(s.enabled(), s.lost(), s.backlog(), s.backlogLimit());
    } else {
      k = HostStatus.Kernel.unavailable(kernel.reason());
    }
    HostStatus.Counters c =
        new HostStatus.Counters(
            stats.audit().provEvents(),
            stats.inputDroppedLines(),
            stats.sink().dropped(),
            stats.sink().spooled(),
            stats.sink().spoolPending());
    return ProvEvent.of(
        host + ":host.status:" + t.toEpochMilli(),
        producer,
        host,
        t,
        new HostStatus(k, c, intervalSeconds > 0 ? intervalSeconds : null));
  }
}
