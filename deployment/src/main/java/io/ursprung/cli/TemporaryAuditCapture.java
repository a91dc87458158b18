package io.ursprung.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The audit state {@code ursprung run} changes, and how to put it back: its own rules (deleted by
 * their key, so nobody else's rule is ever touched), the kernel's enabled flag, and auditd's
 * running state (started when it was not running, and then stopped again). {@link #close} is
 * idempotent and safe to call from a shutdown hook and a finally block at once.
 */
final class TemporaryAuditCapture implements AutoCloseable {

  private final AuditTools tools;
  private String key;
  private String enabledBefore;
  private boolean enabledChanged;
  private List<Long> auditdStarted = List.of();
  private boolean closed;

  TemporaryAuditCapture(AuditTools tools) {
    this.tools = tools;
  }

  /** Adds the rules for {@code session}, enables audit, starts auditd if needed. */
  synchronized void install(long session, String osArch) throws IOException {
    if (closed) {
      throw new IOException("stopped before the capture was set up");
    }
    AuditTools.Result status = tools.auditctl("-s");
    if (!status.ok()) {
      throw new IOException("auditctl -s failed: " + status.out().strip());
    }
    enabledBefore = AuditTools.statusField(status.out(), "enabled");
    // Set before adding: a rule added and then a failure must still be deleted.
    key = RunRules.key(session);
    for (List<String> rule : RunRules.rules(session, osArch)) {
      AuditTools.Result r = tools.auditctl(rule);
      if (!r.ok()) {
        throw new IOException("auditctl " + String.join(" ", rule) + " failed: " + r.out().strip());
      }
    }
    if (!"1".equals(enabledBefore)) {
      enabledChanged = true;
      AuditTools.Result r = tools.auditctl("-e", "1");
      if (!r.ok()) {
        throw new IOException("auditctl -e 1 failed: " + r.out().strip());
      }
    }
    if (AuditTools.auditdPids().isEmpty()) {
      // auditd daemonises and returns; started directly (not through the service manager) so
      // that it loads no rules of its own and we know exactly what to stop.
      AuditTools.Result r = AuditTools.exec(List.of(tools.auditd.toString()), 30);
      auditdStarted = waitForAuditd();
      if (auditdStarted.isEmpty()) {
        throw new IOException("auditd did not start: " + r.out().strip());
      }
    }
  }

  private static List<Long> waitForAuditd() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<Long> pids = AuditTools.auditdPids();
      if (!pids.isEmpty()) {
        return pids;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return List.of();
  }

  /** Whether this run started auditd (and will stop it). */
  synchronized boolean startedAuditd() {
    return !auditdStarted.isEmpty();
  }

  /** Puts everything back; reports failures on stderr, never throws. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<String> failures = new ArrayList<>();
    if (key != null) {
      AuditTools.Result r = tools.auditctl("-D", "-k", key);
      if (!r.ok()) {
        failures.add("auditctl -D -k " + key + ": " + r.out().strip());
      }
    }
    for (long pid : auditdStarted) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: auditd flushes, exits
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!auditdStarted.isEmpty()
        && AuditTools.auditdPids().stream().anyMatch(auditdStarted::contains)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // After auditd has stopped: it may change the flag itself on its way out.
    if (enabledChanged && enabledBefore != null) {
      AuditTools.Result r = tools.auditctl("-e", enabledBefore);
      if (!r.ok()) {
        failures.add("auditctl -e " + enabledBefore + ": " + r.out().strip());
      }
    }
    if (!failures.isEmpty()) {
      System.err.println(
          "ursprung run: could not restore the audit state completely: "
              + String.join("; ", failures));
    }
  }
}
