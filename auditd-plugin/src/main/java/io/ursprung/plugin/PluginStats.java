package io.ursprung.plugin;

import io.ursprung.plugin.audit.AuditStats;
import io.ursprung.plugin.nativeaccess.AuditStatus;
import io.ursprung.plugin.sink.SinkStats;
import java.util.Optional;

/**
 * All counters of a running plugin, as logged every stats interval and at exit.
 *
 * @param audit the processor's counters (records, events, malformed lines, ...)
 * @param sink the sink's counters (sent, spooled, dropped, ...)
 * @param inputBytes bytes read from the input
 * @param inputDroppedLines lines dropped because processing fell behind (stdin only) or cut by such
 *     a drop, plus lines longer than any audit record
 * @param kernel the kernel's audit status ({@code lost}, {@code backlog}), when readable
 */
public record PluginStats(
    AuditStats audit,
    SinkStats sink,
    long inputBytes,
    long inputDroppedLines,
    Optional<AuditStatus> kernel) {

  /** One log line. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append("records=").append(audit.records());
    sb.append(" auditEvents=").append(audit.auditEvents());
    sb.append(" events=").append(audit.provEvents());
    sb.append(" malformed=").append(audit.malformed());
    sb.append(" timedOut=").append(audit.timedOut());
    sb.append(" inputBytes=").append(inputBytes);
    sb.append(" inputDropped=").append(inputDroppedLines);
    sb.append(" sent=").append(sink.sent());
    sb.append(" spooled=").append(sink.spooled());
    sb.append(" spoolPending=").append(sink.spoolPending());
    sb.append(" dropped=").append(sink.dropped());
    if (kernel.isPresent()) {
      sb.append(" kernelLost=").append(kernel.get().lost());
      sb.append(" kernelBacklog=").append(kernel.get().backlog());
    } else {
      sb.append(" kernelLost=? kernelBacklog=?");
    }
    return sb.toString();
  }
}
