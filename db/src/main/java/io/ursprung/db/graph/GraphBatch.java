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
  // Names that change or end a file's name (create, rename, link, unlink, ...): every one is kept.
  final List<Rows.FileName> names = new ArrayList<>();
  // Opens and execs only show a name in use: the earliest per name and hour is kept (Sighting).
  final Map<Sighting, Rows.FileName> sightings = new LinkedHashMap<>();
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
  // The COPY data of each table, made ahead by GraphStore.prepare; dropped by any change.
  Map<String, byte[]> prepared;

  /** The COPY data {@link GraphStore#prepare} made for a table, or null. */
  byte[] prepared(String table) {
    return prepared == null ? null : prepared.get(table);
  }

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
        && sightings.isEmpty()
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
    prepared = null;
    // Every event comes here: nothing is made unless the host is new or its span grows.
    HostSeen h = hosts.get(host);
    if (h == null) {
      hosts.put(host, new HostSeen(host, kind, time, time));
      lockHosts.add(host);
    } else if (time.isBefore(h.first()) || time.isAfter(h.last())) {
      hosts.put(host, h.widen(time));
    }
  }

  /** The hosts whose rows this batch writes, sorted (the order locks are taken in). */
  public Collection<String> lockHosts() {
    return Collections.unmodifiableSet(lockHosts);
  }

  public void archive(Rows.Archive row) {
    prepared = null;
    archive.add(row);
  }

  /** The process row for a key, created empty when new; modify it through its methods. */
  public ProcessRow process(String host, int pid, Instant start) {
    prepared = null;
    lockHosts.add(host);
    return processes.computeIfAbsent(
        new ProcessRow.Key(host, pid, start), k -> new ProcessRow(host, pid, start));
  }

  public void exec(Rows.Exec row) {
    prepared = null;
    execs.add(row);
  }

  /** Records a file; the earliest first-seen and the first known object type win. */
  public void file(Rows.FileKey key, String objectType, Instant time) {
    prepared = null;
    files.merge(
        key,
        new Rows.File(key, objectType, time),
        (a, b) ->
            new Rows.File(
                key,
                a.objectType() != null ? a.objectType() : b.objectType(),
                a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen()));
  }

  /**
   * A name of a file. An open or exec ({@link Rows#isSighting}) is merged with the batch's other
   * sightings of the same name in the same hour: the earliest stays (see {@link Sighting}).
   */
  public void name(Rows.FileName row) {
    prepared = null;
    if (Rows.isSighting(row.op())) {
      sightings.merge(Sighting.of(row), row, Sighting::earlier);
    } else {
      names.add(row);
    }
  }

  /**
   * What makes two sightings of a name the same {@code file_names} row: the file, the path, the op
   * and the UTC hour, as the unique index {@code file_names_sighting} (V84) has it (V86 keys the
   * path as {@code path_key(path)}, which differs from the path only for paths over 2,048 bytes).
   *
   * <p>Why: the path history used to keep a row per open, which made it the largest table the
   * consumer writes (most events are opens of the same few files) while saying nothing the {@code
   * used} edges do not say. What the history is for is which names an inode had and when. Changes
   * of name (create, rename, link, unlink, ...) are all kept; a name in use is kept once an hour,
   * so the name an inode had at any time is still known to the hour when the change itself was not
   * seen (an inode reused by a file made before capture began, a rename on an unwatched node).
   */
  record Sighting(String host, String fs, long inode, String path, String op, long hour) {
    static Sighting of(Rows.FileName n) {
      return new Sighting(
          n.file().host(),
          n.file().fs(),
          n.file().inode(),
          n.path(),
          n.op(),
          // From the time as PostgreSQL stores it (microseconds, rounded), so that the hour is the
          // index's even for a time a fraction of a microsecond before the hour. PostgreSQL's
          // epoch (2000-01-01) is on an hour.
          Math.floorDiv(CopyBinary.micros(n.time()), 3_600_000_000L));
    }

    /**
     * The row that stays: the earlier, then the smaller event id. The same order as the store's
     * upsert (event ids compared as bytes there, {@code COLLATE "C"}; they are ASCII), so that the
     * row kept does not depend on how events fall into batches.
     */
    static Rows.FileName earlier(Rows.FileName a, Rows.FileName b) {
      int c = Long.compare(CopyBinary.micros(a.time()), CopyBinary.micros(b.time()));
      if (c == 0) {
        c = a.eventId().compareTo(b.eventId());
      }
      return c <= 0 ? a : b;
    }
  }

  public void version(Rows.Version row) {
    prepared = null;
    versions.add(row);
    if (row.procHost() != null) {
      lockHosts.add(row.procHost());
    }
  }

  public void used(Rows.Used row) {
    prepared = null;
    used.add(row);
    lockHosts.add(row.host());
  }

  public void informed(Rows.Informed row) {
    prepared = null;
    informed.add(row);
  }

  public void derived(Rows.Derived row) {
    prepared = null;
    derived.add(row);
  }

  public void socket(Rows.Socket row) {
    prepared = null;
    sockets.add(row);
  }

  public void job(Rows.JobEvent row) {
    prepared = null;
    jobs.add(row);
  }

  /** A host's status report; of several in one batch the newest is kept. */
  public void hostStatus(Rows.HostStatusRow row) {
    prepared = null;
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
    m.put("file_names", names.size() + sightings.size());
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

  /** The name rows: changes of name in order, then the sightings kept. */
  public List<Rows.FileName> nameRows() {
    List<Rows.FileName> all = new ArrayList<>(names);
    all.addAll(sightings.values());
    return Collections.unmodifiableList(all);
  }

  public List<Rows.Socket> socketRows() {
    return Collections.unmodifiableList(sockets);
  }

  public Collection<Rows.File> fileRows() {
    return Collections.unmodifiableCollection(files.values());
  }
}
