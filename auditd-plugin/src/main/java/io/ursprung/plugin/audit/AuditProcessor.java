package io.ursprung.plugin.audit;

import io.ursprung.events.ProcessRef;
import io.ursprung.plugin.model.ProcScan;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
  default void seedRunningProcesses(ProcScan.Result snapshot) {
    seedRunningProcesses(snapshot, Map.of());
  }

  /**
   * Like {@link #seedRunningProcesses(ProcScan.Result)}, but a process in restoredStarts (pid to
   * start time) keeps the identity an earlier plugin instance gave it (see {@link
   * io.ursprung.plugin.model.ProcState}).
   */
  void seedRunningProcesses(ProcScan.Result snapshot, Map<Integer, Instant> restoredStarts);

  /** The identities of the live processes of this machine (the fallback host). */
  List<ProcessRef> liveProcessRefs();

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
