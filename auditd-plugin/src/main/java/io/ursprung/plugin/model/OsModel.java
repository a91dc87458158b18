package io.ursprung.plugin.model;

import io.ursprung.events.ProcessRef;
import io.ursprung.plugin.audit.AuditEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The operating-system model of every host in the stream (one per {@code node=}), turning complete
 * audit events into provenance events. Not thread-safe.
 */
public final class OsModel {
  private final Emitter out;
  private final NameCache names;
  private final boolean raw;
  private final long timeoutMs;
  private final long deferWindowMs;
  private final long deferWindowEvents;
  private final Map<String, HostModel> hosts = new HashMap<>();
  private HostModel last;
  private String lastHost;

  /**
   * A model.
   *
   * @param out receives derived events
   * @param userNames user name by uid, null when unknown
   * @param groupNames group name by gid, null when unknown
   * @param raw whether to emit a RawSyscall for every syscall event
   * @param timeoutMs wall-clock time after which held-back events of an unknown child are applied
   *     without waiting further for the parent's clone record
   */
  public OsModel(
      Emitter out,
      IntFunction<String> userNames,
      IntFunction<String> groupNames,
      boolean raw,
      long timeoutMs) {
    this.out = out;
    this.names = new NameCache(userNames, groupNames);
    this.raw = raw;
    this.timeoutMs = timeoutMs;
    // a vfork parent's record follows its child's exec within a few events; give it ample room
    this.deferWindowMs = Math.max(1, Math.min(timeoutMs, 2000));
    this.deferWindowEvents = 2000;
  }

  /** Applies one complete audit event. */
  public void apply(AuditEvent ev) {
    HostModel m;
    if (ev.host() == lastHost) {
      m = last;
    } else {
      m = hosts.computeIfAbsent(ev.host(), this::newHost);
      last = m;
      lastHost = ev.host();
    }
    m.apply(ev);
  }

  private HostModel newHost(String host) {
    return new HostModel(host, out, names, raw, deferWindowMs, deferWindowEvents);
  }

  /**
   * Seeds processes already running (a /proc snapshot of this machine) into the model of host,
   * before the first record; see {@link ProcScan}. restoredStarts: start times, by pid, that an
   * earlier plugin instance gave these very processes (see {@link ProcState}).
   */
  public void seed(
      String host,
      List<RunningProcess> running,
      long snapshotAt,
      Map<Integer, Instant> restoredStarts) {
    hosts.computeIfAbsent(host, this::newHost).seed(running, snapshotAt, restoredStarts);
  }

  /** The identities of the live processes of host (none when the host is unknown). */
  public List<ProcessRef> liveProcessRefs(String host) {
    HostModel m = hosts.get(host);
    return m == null ? List.of() : m.liveProcessRefs();
  }

  /** Wall-clock tick. */
  public void tick(long now) {
    for (HostModel m : hosts.values()) {
      m.tick(now, timeoutMs);
    }
  }

  /** Applies everything still held back. Processes still alive are not reported as ended. */
  public void endOfInput() {
    for (HostModel m : hosts.values()) {
      m.endOfInput();
    }
  }

  /** Live processes over all hosts. */
  public int liveProcesses() {
    int n = 0;
    for (HostModel m : hosts.values()) {
      n += m.liveProcesses();
    }
    return n;
  }

  /** clone3 children over all hosts not yet known to be threads or processes. */
  public int pendingClone3() {
    int n = 0;
    for (HostModel m : hosts.values()) {
      n += m.pendingClone3();
    }
    return n;
  }

  /** Relative names that could not be resolved (unknown dirfd or cwd). */
  public long unresolvedPaths() {
    long n = 0;
    for (HostModel m : hosts.values()) {
      n += m.unresolvedPaths;
    }
    return n;
  }
}
