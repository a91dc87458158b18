package io.ursprung.db.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rows of one consumer batch, ready for {@link GraphStore#write}. Rows that several events
 * contribute to (processes, files, hosts) are merged here, because one INSERT ... ON CONFLICT DO
 * UPDATE may not touch a row twice. Not thread-safe.
 */
public final class GraphBatch {
  final List<Rows.Archive> archive = new ArrayList<>();
  final Map<ProcessRow.Key, ProcessRow> processes = new LinkedHashMap<>();
  final List<Rows.Exec> execs = new ArrayList<>();
  final Map<Rows.FileKey, Rows.File> files = new LinkedHashMap<>();
  final List<Rows.FileName> names = new ArrayList<>();
  final List<Rows.Version> versions = new ArrayList<>();
  final List<Rows.Used> used = new ArrayList<>();
  final List<Rows.Informed> informed = new ArrayList<>();
  final List<Rows.Derived> derived = new ArrayList<>();
  final List<Rows.Socket> sockets = new ArrayList<>();
  final List<Rows.JobEvent> jobs = new ArrayList<>();
  final Map<String, HostSeen> hosts = new LinkedHashMap<>();
  final Map<String, Rows.HostStatusRow> hostStatus = new LinkedHashMap<>();
  private final TreeSet<String> lockHosts = new TreeSet<>();
  private int events;

  /** First and last time a host or cluster was seen in the batch. */
  record HostSeen(String host, String kind, Instant first, Instant last) {
    HostSeen widen(Instant t) {
      return new HostSeen(host, kind, t.isBefore(first) ? t : first, t.isAfter(last) ? t : last);
    }
  }

  /** Counts one source event (for metrics). */
  public void countEvent() {
    events++;
  }

  /** Source events counted into this batch. */
  public int events() {
    return events;
  }

  /** Whether there is nothing to write. */
  public boolean isEmpty() {
    return archive.isEmpty()
        && processes.isEmpty()
        && files.isEmpty()
        && names.isEmpty()
        && versions.isEmpty()
        && used.isEmpty()
        && informed.isEmpty()
        && derived.isEmpty()
        && sockets.isEmpty()
        && jobs.isEmpty()
        && hostStatus.isEmpty()
        && execs.isEmpty();
  }

  /** Notes that {@code host} (kind {@code host} or {@code cluster}) was seen at {@code time}. */
  public void seen(String host, String kind, Instant time) {
    hosts.merge(host, new HostSeen(host, kind, time, time), (a, b) -> a.widen(time));
    lockHosts.add(host);
  }

  /** The hosts whose rows this batch writes, sorted (the order locks are taken in). */
  public Collection<String> lockHosts() {
    return Collections.unmodifiableSet(lockHosts);
  }

  public void archive(Rows.Archive row) {
    archive.add(row);
  }

  /** The process row for a key, created empty when new; modify it through its methods. */
  public ProcessRow process(String host, int pid, Instant start) {
    lockHosts.add(host);
    return processes.computeIfAbsent(
        new ProcessRow.Key(host, pid, start), k -> new ProcessRow(host, pid, start));
  }

  public void exec(Rows.Exec row) {
    execs.add(row);
  }

  /** Records a file; the earliest first-seen and the first known object type win. */
  public void file(Rows.FileKey key, String objectType, Instant time) {
    files.merge(
        key,
        new Rows.File(key, objectType, time),
        (a, b) ->
            new Rows.File(
                key,
                a.objectType() != null ? a.objectType() : b.objectType(),
                a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen()));
  }

  public void name(Rows.FileName row) {
    names.add(row);
  }

  public void version(Rows.Version row) {
    versions.add(row);
    if (row.procHost() != null) {
      lockHosts.add(row.procHost());
    }
  }

  public void used(Rows.Used row) {
    used.add(row);
    lockHosts.add(row.host());
  }

  public void informed(Rows.Informed row) {
    informed.add(row);
  }

  public void derived(Rows.Derived row) {
    derived.add(row);
  }

  public void socket(Rows.Socket row) {
    sockets.add(row);
  }

  public void job(Rows.JobEvent row) {
    jobs.add(row);
  }

  /** A host's status report; of several in one batch the newest is kept. */
  public void hostStatus(Rows.HostStatusRow row) {
    hostStatus.merge(row.host(), row, (a, b) -> b.reported().isAfter(a.reported()) ? b : a);
  }

  /** The host status reports of the batch (tests of mapping code). */
  public Collection<Rows.HostStatusRow> hostStatusRows() {
    return Collections.unmodifiableCollection(hostStatus.values());
  }

  /** Rows per table, for logs and tests. */
  public Map<String, Integer> sizes() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("event_archive", archive.size());
    m.put("processes", processes.size());
    m.put("process_execs", execs.size());
    m.put("files", files.size());
    m.put("file_names", names.size());
    m.put("file_versions", versions.size());
    m.put("used", used.size());
    m.put("was_informed_by", informed.size());
    m.put("was_derived_from", derived.size());
    m.put("sockets", sockets.size());
    m.put("job_events", jobs.size());
    m.put("host_status", hostStatus.size());
    return m;
  }

  /** Read-only views for tests of mapping code. */
  public Collection<ProcessRow> processRows() {
    return Collections.unmodifiableCollection(processes.values());
  }

  public List<Rows.Version> versionRows() {
    return Collections.unmodifiableList(versions);
  }

  public List<Rows.Used> usedRows() {
    return Collections.unmodifiableList(used);
  }

  public List<Rows.Informed> informedRows() {
    return Collections.unmodifiableList(informed);
  }

  public List<Rows.Derived> derivedRows() {
    return Collections.unmodifiableList(derived);
  }

  public List<Rows.FileName> nameRows() {
    return Collections.unmodifiableList(names);
  }

  public List<Rows.Socket> socketRows() {
    return Collections.unmodifiableList(sockets);
  }

  public Collection<Rows.File> fileRows() {
    return Collections.unmodifiableCollection(files.values());
  }
}
