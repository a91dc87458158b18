package io.ursprung.plugin.audit;

import io.ursprung.plugin.model.ProcScan;

/**
 * Turns a stream of audit records (one record per line, as auditd hands them to a plugin with
 * {@code format = string}, or as they stand in /var/log/audit/audit.log) into provenance events.
 * Not thread-safe: one thread feeds it.
 */
public interface AuditProcessor {

  /**
   * One record line, without its trailing newline. Malformed lines are counted and reported, never
   * thrown.
   */
  void acceptLine(byte[] buf, int off, int len);

  /**
   * Makes the processes of a /proc snapshot known before the first record (reading auditd live
   * only: a replay's records describe another time than /proc does).
   */
  void seedRunningProcesses(ProcScan.Result snapshot);

  /**
   * Called regularly (and when input is idle) with the current wall-clock time, so events whose EOE
   * never comes are completed after a time-out.
   */
  void tick(long nowMillis);

  /** End of input: completes every pending event and emits what is left. */
  void endOfInput();

  /** Running counters. */
  AuditStats stats();
}
