package io.ursprung.db.lineage;

import io.ursprung.db.auth.Viewer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The part of the store a lineage walk hops over, in memory: processes (key and credentials), file
 * versions (key, cause, writer), reads and executions ({@code used}) and {@code was_informed_by}.
 * {@link #hops} answers a level exactly as {@link LevelWalk}'s statements do on the tables; the
 * node attributes still come from the database.
 *
 * <p>Times are node-key micros ({@link LevelWalk#MINUS_INFINITY} / {@link LevelWalk#INFINITY} for
 * the infinities). Rows are identified by a 64-bit hash of their primary key, which is only ever
 * compared within one inode's or one process's rows, so that updates find the row they change.
 *
 * <p>Not thread-safe by itself: {@link GraphCache} changes it under {@link #lock}'s write lock and
 * walks read it under the read lock.
 */
final class MemoryGraph {

  /** Thrown when a change cannot be applied exactly; the cache then loads everything again. */
  static final class Reload extends RuntimeException {
    Reload(String why) {
      super(why);
    }
  }

  record ProcKey(String host, int pid, long start) {}

  record FileKey(String host, String fs, long inode) {}

  static final class Proc {
    final ProcKey key;
    boolean row;
    Integer uid;
    Integer gid;
    // What an answer shows: argv joined as array_to_string does, user_name or the uid as text.
    String cmdline;
    String cwd;
    String user;
    String exe;
    long end = NO_TIME;
    Integer exitCode;
    List<Use> reads;
    List<Inform> informants;
    List<Inform> informed;
    List<Version> wrote;

    Proc(ProcKey key) {
      this.key = key;
    }
  }

  static final class Inode {
    final FileKey key;
    final List<Version> versions = new ArrayList<>(2);
    List<Use> uses;

    Inode(FileKey key) {
      this.key = key;
    }
  }

  static final class Version {
    final long id;
    final long time;
    final String cause;
    final String path;
    final long size;
    final Inode inode;
    final Proc writer;

    Version(long id, long time, String cause, String path, long size, Inode inode, Proc writer) {
      this.id = id;
      this.time = time;
      this.cause = cause;
      this.path = path;
      this.size = size;
      this.inode = inode;
      this.writer = writer;
    }
  }

  /** A size that is NULL in the store. */
  static final long NO_SIZE = Long.MIN_VALUE;

  /** An end time that is NULL in the store (an infinite one is kept out of the graph's answers). */
  static final long NO_TIME = Long.MIN_VALUE + 1;

  /** A process node's attributes as the store's look-up gives them; all null without a row. */
  record ProcessAttributes(
      String cmdline,
      String cwd,
      String user,
      Integer uid,
      Long end,
      Integer exitCode,
      String exe) {}

  /** A file version node's attributes as the store's look-up gives them. */
  record FileAttributes(String path, int version, Long size) {}

  static final class Use {
    final long id;
    final String kind;
    final long time;
    final Proc proc;
    final Inode inode;
    // The time of the version this read saw (the latest at or before it), kept as versions come
    // and go, so that a walk does not search the inode's versions for every read.
    long saw;

    Use(long id, String kind, long time, Proc proc, Inode inode) {
      this.id = id;
      this.kind = kind;
      this.time = time;
      this.proc = proc;
      this.inode = inode;
    }
  }

  record Inform(String kind, long time, Proc informed, Proc informant) {}

  private static final Comparator<Version> BY_VERSION_TIME = Comparator.comparingLong(v -> v.time);
  private static final Comparator<Use> BY_USE_TIME = Comparator.comparingLong(u -> u.time);

  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<ProcKey, Proc> procs = new HashMap<>();
  private final Map<FileKey, Inode> inodes = new HashMap<>();
  private final Map<String, String> strings = new HashMap<>();
  // used rows not attached to a process (Spectrum Scale events before their process is known):
  // not part of any walk, kept so that the update attaching one is known to be a first attachment.
  private final Set<Long> unattached = new HashSet<>();
  private boolean loading = true;

  int processes() {
    return procs.size();
  }

  /** Hash of a row's primary key. */
  static long id(String... parts) {
    long h = 0xcbf29ce484222325L;
    for (String p : parts) {
      for (int i = 0; i < p.length(); i++) {
        h ^= p.charAt(i);
        h *= 0x100000001b3L;
      }
      h ^= 0x1f;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private String intern(String s) {
    if (s == null) {
      return null;
    }
    String seen = strings.putIfAbsent(s, s);
    return seen == null ? s : seen;
  }

  private Proc proc(String host, int pid, long start) {
    ProcKey k = new ProcKey(intern(host), pid, start);
    return procs.computeIfAbsent(k, Proc::new);
  }

  private Inode inode(String host, String fs, long inode) {
    FileKey k = new FileKey(intern(host), intern(fs), inode);
    return inodes.computeIfAbsent(k, Inode::new);
  }

  // ---- changes (rows as the store holds them; null for NULL) ----

  void process(
      String host,
      int pid,
      long start,
      Integer uid,
      Integer gid,
      String userName,
      String cwd,
      String exe,
      String cmdline,
      Long end,
      Integer exitCode) {
    Proc p = proc(host, pid, start);
    p.row = true;
    p.uid = uid;
    p.gid = gid;
    p.cmdline = cmdline;
    p.cwd = intern(cwd);
    p.user = userName != null ? intern(userName) : uid == null ? null : intern(uid.toString());
    p.exe = intern(exe);
    p.end = end == null ? NO_TIME : end;
    p.exitCode = exitCode;
  }

  /** The process row with this key, or null. */
  Proc row(String host, int pid, long start) {
    Proc p = procs.get(new ProcKey(host, pid, start));
    return p != null && p.row ? p : null;
  }

  /** array_to_string(argv, ' '): the elements that are not NULL, separated by one space. */
  static String joined(String[] argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (a != null) {
        if (b.length() > 0) {
          b.append(' ');
        }
        b.append(a);
      }
    }
    return b.toString();
  }

  void processDeleted(String host, int pid, long start) {
    Proc p = procs.get(new ProcKey(host, pid, start));
    if (p != null) {
      // Edges may still name it: the key stays, what the row said goes.
      process(host, pid, start, null, null, null, null, null, null, null, null);
      p.row = false;
    }
  }

  void version(
      String host,
      String eventId,
      String fs,
      long inode,
      long time,
      String cause,
      String path,
      Long size,
      String procHost,
      Integer pid,
      Long start) {
    Inode f = inode(host, fs, inode);
    Proc writer = null;
    if (pid != null && start != null) {
      if (procHost == null) {
        throw new Reload("a file version with a writer pid but no writer host");
      }
      writer = proc(procHost, pid, start);
    }
    // Versions of one inode mostly share their path: keep it once.
    String p = path;
    if (p != null && !f.versions.isEmpty() && p.equals(f.versions.get(0).path)) {
      p = f.versions.get(0).path;
    }
    Version v =
        new Version(
            id(host, eventId), time, intern(cause), p, size == null ? NO_SIZE : size, f, writer);
    insert(f.versions, v, w -> w.time);
    if (!loading) {
      resee(f, time);
    }
    if (writer != null) {
      if (writer.wrote == null) {
        writer.wrote = new ArrayList<>(1);
      }
      writer.wrote.add(v);
    }
  }

  /**
   * Before an updated file version's new row: takes the row with its key away, looked for where the
   * new row says (the update attaching a writer changes neither inode nor time).
   */
  Version removeVersion(String host, String eventId, String fs, long inode) {
    Inode f = inodes.get(new FileKey(host, fs, inode));
    Version old = f == null ? null : byId(f.versions, v -> v.id, id(host, eventId));
    if (old == null) {
      throw new Reload("an updated file version was not where its new row says");
    }
    f.versions.remove(old);
    resee(f, old.time);
    if (old.writer != null) {
      old.writer.wrote.remove(old);
    }
    return old;
  }

  void use(
      String host,
      String eventId,
      String kind,
      Integer pid,
      Long start,
      long time,
      String fileHost,
      String fs,
      long inode) {
    long id = id(host, eventId, kind);
    if (pid == null || start == null) {
      unattached.add(id);
      return;
    }
    Proc p = proc(host, pid, start);
    Inode f = inode(fileHost, fs, inode);
    Use u = new Use(id, intern(kind), time, p, f);
    if (p.reads == null) {
      p.reads = new ArrayList<>(2);
    }
    insert(p.reads, u, r -> r.time);
    if (f.uses == null) {
      f.uses = new ArrayList<>(2);
    }
    insert(f.uses, u, r -> r.time);
    if (!loading) {
      u.saw = current(f, u.time);
    }
  }

  /**
   * Before an updated used row's new row (a Spectrum Scale read attached to its process): takes the
   * row with its key away.
   */
  void removeUse(String host, String eventId, String kind, String fileHost, String fs, long inode) {
    long id = id(host, eventId, kind);
    if (unattached.remove(id)) {
      return;
    }
    Inode f = inodes.get(new FileKey(fileHost, fs, inode));
    Use old = f == null || f.uses == null ? null : byId(f.uses, u -> u.id, id);
    if (old == null) {
      throw new Reload("an updated used row was not where its new row says");
    }
    f.uses.remove(old);
    old.proc.reads.remove(old);
  }

  void informed(
      String host,
      String kind,
      int pid,
      long start,
      int informantPid,
      long informantStart,
      long time) {
    Proc p = proc(host, pid, start);
    Proc q = proc(host, informantPid, informantStart);
    Inform w = new Inform(intern(kind), time, p, q);
    if (p.informants == null) {
      p.informants = new ArrayList<>(1);
    }
    p.informants.add(w);
    if (q.informed == null) {
      q.informed = new ArrayList<>(1);
    }
    q.informed.add(w);
  }

  /** The row of {@code rows} whose key hashes to {@code id}, or null. */
  private static <T> T byId(List<T> rows, java.util.function.ToLongFunction<T> key, long id) {
    for (T row : rows) {
      if (key.applyAsLong(row) == id) {
        return row;
      }
    }
    return null;
  }

  /** After a bulk load (rows in any order): sorts what the walk searches by time. */
  void loaded() {
    for (Inode f : inodes.values()) {
      f.versions.sort(BY_VERSION_TIME);
      if (f.uses != null) {
        f.uses.sort(BY_USE_TIME);
        for (Use u : f.uses) {
          u.saw = current(f, u.time);
        }
      }
    }
    for (Proc p : procs.values()) {
      if (p.reads != null) {
        p.reads.sort(BY_USE_TIME);
      }
    }
    loading = false;
  }

  /** After a version at {@code t} came or went: the reads from {@code t} on see again. */
  private static void resee(Inode f, long t) {
    if (f.uses == null) {
      return;
    }
    int lo = bound(f.uses, u -> u.time, t, false);
    // Only reads before the next version are affected; after it they see that one or a later one.
    int next = after(f.versions, t);
    long until = next < f.versions.size() ? f.versions.get(next).time : LevelWalk.INFINITY;
    for (int j = lo; j < f.uses.size() && f.uses.get(j).time < until; j++) {
      Use u = f.uses.get(j);
      u.saw = current(f, u.time);
    }
  }

  private <T> void insert(List<T> list, T item, java.util.function.ToLongFunction<T> time) {
    if (loading) {
      list.add(item);
      return;
    }
    // After the last row with an equal time, as rows arriving later would come in the table.
    list.add(bound(list, time, time.applyAsLong(item), true), item);
  }

  /**
   * A file version node's number, path and size when the graph alone gives them as the store's
   * look-up would: exactly one version at that time, with a path. Otherwise null (the store has to
   * find a path in the names or reads, or choose among versions of equal time).
   */
  FileAttributes fileAttributes(LevelWalk.Key k) {
    Inode f = inodes.get(new FileKey(k.host(), k.fs(), k.id()));
    if (f == null) {
      return null;
    }
    int first = from(f.versions, k.t());
    int end = after(f.versions, k.t());
    if (end - first != 1 || f.versions.get(first).path == null) {
      return null;
    }
    Version v = f.versions.get(first);
    return new FileAttributes(v.path, end, v.size == NO_SIZE ? null : v.size);
  }

  /**
   * A process node's attributes, or null when the store has to be asked (an infinite end time,
   * which the store's driver turns into a date the graph does not make up).
   */
  ProcessAttributes processAttributes(LevelWalk.Key k) {
    Proc p =
        k.id() < Integer.MIN_VALUE || k.id() > Integer.MAX_VALUE
            ? null
            : procs.get(new ProcKey(k.host(), (int) k.id(), k.t()));
    if (p == null || !p.row) {
      return new ProcessAttributes(null, null, null, null, null, null, null);
    }
    if (p.end == Long.MIN_VALUE || p.end == Long.MAX_VALUE) {
      return null;
    }
    return new ProcessAttributes(
        p.cmdline, p.cwd, p.user, p.uid, p.end == NO_TIME ? null : p.end, p.exitCode, p.exe);
  }

  // ---- the walk's hops ----

  /** One level's hops from the frontier nodes at {@code which}, as LevelWalk's statements give. */
  List<LevelWalk.Hop> hops(
      boolean upstream,
      List<LevelWalk.Key> frontier,
      List<Integer> which,
      boolean viaFork,
      Viewer viewer) {
    List<LevelWalk.Hop> out = new ArrayList<>();
    for (int i : which) {
      LevelWalk.Key k = frontier.get(i);
      if ("f".equals(k.k())) {
        Inode f = inodes.get(new FileKey(k.host(), k.fs(), k.id()));
        if (f != null) {
          if (upstream) {
            upFile(i, f, k.t(), viewer, out);
          } else {
            downFile(i, f, k.t(), viewer, out);
          }
        }
      } else if (k.id() >= Integer.MIN_VALUE && k.id() <= Integer.MAX_VALUE) {
        Proc p = procs.get(new ProcKey(k.host(), (int) k.id(), k.t()));
        if (p != null) {
          if (upstream) {
            upProcess(i, p, k.b(), viaFork, viewer, out);
          } else {
            downProcess(i, p, k.b(), viaFork, viewer, out);
          }
        }
      }
    }
    return out;
  }

  private static boolean visible(Viewer viewer, Proc p) {
    if (viewer.seesAll()) {
      return true;
    }
    return p.row
        && ((p.uid != null && viewer.uids().contains(p.uid))
            || (p.gid != null && viewer.gids().contains(p.gid)));
  }

  private static LevelWalk.Key processKey(Proc p, long bound) {
    return new LevelWalk.Key("p", p.key.host(), "", p.key.pid(), p.key.start(), bound);
  }

  private static LevelWalk.Key fileKey(Inode f, long t) {
    return new LevelWalk.Key("f", f.key.host(), f.key.fs(), f.key.inode(), t, t);
  }

  /** Index of the first version with a time above {@code t}. */
  private static int after(List<Version> versions, long t) {
    return bound(versions, v -> v.time, t, true);
  }

  /** Index of the first version with a time at or above {@code t}. */
  private static int from(List<Version> versions, long t) {
    return bound(versions, v -> v.time, t, false);
  }

  /**
   * In a list sorted by time: the index of the first row with a time above {@code t} ({@code
   * above}) or at or above it.
   */
  private static <T> int bound(
      List<T> rows, java.util.function.ToLongFunction<T> time, long t, boolean above) {
    int lo = 0;
    int hi = rows.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      long m = time.applyAsLong(rows.get(mid));
      if (m < t || (above && m == t)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The time of the latest version at or before {@code t}, or minus infinity. */
  private static long current(Inode f, long t) {
    int i = after(f.versions, t);
    return i == 0 ? LevelWalk.MINUS_INFINITY : f.versions.get(i - 1).time;
  }

  // A version <- its writer; <- the version before it when a rename made it.
  private static void upFile(int i, Inode f, long t, Viewer viewer, List<LevelWalk.Hop> out) {
    for (int j = from(f.versions, t); j < f.versions.size() && f.versions.get(j).time == t; j++) {
      Version v = f.versions.get(j);
      if (v.writer != null && visible(viewer, v.writer)) {
        out.add(new LevelWalk.Hop(0, i, processKey(v.writer, v.time), "wasGeneratedBy", v.cause));
      }
      if ("rename".equals(v.cause)) {
        int before = from(f.versions, t);
        long prev = before == 0 ? LevelWalk.MINUS_INFINITY : f.versions.get(before - 1).time;
        out.add(new LevelWalk.Hop(0, i, fileKey(f, prev), "wasDerivedFrom", "rename"));
      }
    }
  }

  // A process <- the versions it read or executed up to its bound; <- its informants.
  private static void upProcess(
      int i, Proc p, long bound, boolean viaFork, Viewer viewer, List<LevelWalk.Hop> out) {
    if (p.reads != null) {
      for (Use u : p.reads) {
        if (u.time > bound) {
          break;
        }
        out.add(new LevelWalk.Hop(1, i, fileKey(u.inode, u.saw), "used", u.kind));
      }
    }
    if (p.informants != null) {
      for (Inform w : p.informants) {
        if (w.time() <= bound
            && (viaFork || notForkOrSignal(w.kind()))
            && visible(viewer, w.informant())) {
          long b = "fork".equals(w.kind()) ? w.time() : bound;
          out.add(new LevelWalk.Hop(2, i, processKey(w.informant(), b), "wasInformedBy", w.kind()));
        }
      }
    }
  }

  private static boolean notForkOrSignal(String kind) {
    return !"fork".equals(kind) && !"signal".equals(kind);
  }

  // A version -> the processes that read it while it was current (first read, "least" kind);
  // -> the next version when a rename made it.
  private static void downFile(int i, Inode f, long t, Viewer viewer, List<LevelWalk.Hop> out) {
    int n = after(f.versions, t);
    long next = n < f.versions.size() ? f.versions.get(n).time : LevelWalk.INFINITY;
    if (f.uses != null) {
      Map<Proc, Object[]> readers = new LinkedHashMap<>();
      for (int j = bound(f.uses, u -> u.time, t, false); j < f.uses.size(); j++) {
        Use u = f.uses.get(j);
        if (u.time >= next) {
          break;
        }
        Object[] kindAndFirst = readers.get(u.proc);
        if (kindAndFirst == null) {
          readers.put(u.proc, new Object[] {u.kind, u.time});
        } else if (LevelWalk.byCodePoint(u.kind, (String) kindAndFirst[0]) < 0) {
          // Times come in order, so the first read is the first seen; the kind is the least.
          kindAndFirst[0] = u.kind;
        }
      }
      for (Map.Entry<Proc, Object[]> e : readers.entrySet()) {
        if (visible(viewer, e.getKey())) {
          out.add(
              new LevelWalk.Hop(
                  0,
                  i,
                  processKey(e.getKey(), (Long) e.getValue()[1]),
                  "used",
                  (String) e.getValue()[0]));
        }
      }
    }
    if (n < f.versions.size() && "rename".equals(f.versions.get(n).cause)) {
      out.add(new LevelWalk.Hop(1, i, fileKey(f, next), "wasDerivedFrom", "rename"));
    }
  }

  // A process -> the versions it wrote from its bound on; -> the processes it informed.
  private static void downProcess(
      int i, Proc p, long bound, boolean viaFork, Viewer viewer, List<LevelWalk.Hop> out) {
    if (p.wrote != null) {
      for (Version v : p.wrote) {
        if (v.time >= bound) {
          out.add(new LevelWalk.Hop(2, i, fileKey(v.inode, v.time), "wasGeneratedBy", v.cause));
        }
      }
    }
    if (p.informed != null) {
      for (Inform w : p.informed) {
        if ((viaFork || notForkOrSignal(w.kind())) && visible(viewer, w.informed())) {
          out.add(
              new LevelWalk.Hop(
                  3,
                  i,
                  processKey(w.informed(), Math.max(bound, w.time())),
                  "wasInformedBy",
                  w.kind()));
        }
      }
    }
  }
}
