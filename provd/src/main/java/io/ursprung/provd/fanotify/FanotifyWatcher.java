package io.ursprung.provd.fanotify;

import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_ACCESS;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_CLOSE_NOWRITE;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_CLOSE_WRITE;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_CREATE;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_DELETE;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_MODIFY;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_MOVED_FROM;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_MOVED_TO;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_ONDIR;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_OPEN;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_Q_OVERFLOW;
import static io.ursprung.provd.nativeaccess.FanotifyFlags.FAN_RENAME;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.provd.capture.ProcFs;
import io.ursprung.provd.nativeaccess.FanotifyFlags;
import io.ursprung.provd.nativeaccess.LinuxNative;
import io.ursprung.provd.nativeaccess.NativeCallException;
import io.ursprung.provd.nativeaccess.NativeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configured mount points with fanotify and publishes each event as an mmwatch-shaped
 * record. Events of provd itself are dropped (its own spool and log writes are not provenance).
 *
 * <p>A merged event (the kernel folds consecutive events of one process on one file into one mask)
 * becomes one record per bit, in the order they must have happened: open, modify, close; create,
 * move, delete.
 *
 * <p>Moves: on kernels with {@code FAN_RENAME} (5.17+) one event names both ends and the two
 * records get one cookie. Otherwise {@code FAN_MOVED_FROM} is held until the next event: a {@code
 * FAN_MOVED_TO} of the same process and the same object (file handle) is its pair — the kernel
 * queues the two back to back under the rename lock.
 */
public final class FanotifyWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FanotifyWatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Event names accepted in the configuration, with the fanotify bits they select. */
  public static final Map<String, Long> EVENT_NAMES;

  static {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("open", FAN_OPEN);
    m.put("access", FAN_ACCESS);
    m.put("modify", FAN_MODIFY);
    m.put("close_write", FAN_CLOSE_WRITE);
    m.put("close_nowrite", FAN_CLOSE_NOWRITE);
    m.put("create", FAN_CREATE);
    m.put("delete", FAN_DELETE);
    m.put("move", FAN_MOVED_FROM | FAN_MOVED_TO);
    EVENT_NAMES = java.util.Collections.unmodifiableMap(m);
  }

  private static final long[] FD_ORDER = {
    FAN_OPEN, FAN_ACCESS, FAN_MODIFY, FAN_CLOSE_WRITE, FAN_CLOSE_NOWRITE
  };
  private static final long FD_BITS =
      FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE;

  private final LinuxNative nat;
  private final ProcFs proc;
  private final List<String> mounts;
  private final long selected;
  private final String host;
  private final String cluster;
  private final FileEventSink sink;
  private final int ownPid;
  private final Map<Long, Integer> mountFdByFsid = new HashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Integer> groupFds = new ArrayList<>();
  private final AtomicLong cookies =
      new AtomicLong(ThreadLocalRandom.current().nextInt(1, 1 << 30));
  private volatile boolean running;
  private String dirMode = "unavailable";
  private boolean fdGroup;
  private Held held;

  /** Counters for the metrics log. */
  public final AtomicLong eventsRead = new AtomicLong();

  public final AtomicLong recordsPublished = new AtomicLong();
  public final AtomicLong ownEventsSkipped = new AtomicLong();
  public final AtomicLong overflows = new AtomicLong();
  public final AtomicLong unresolved = new AtomicLong();

  /** A MOVED_FROM waiting for its MOVED_TO. */
  private record Held(MmwatchRecord record, int pid, byte[] object) {}

  /**
   * @param mounts mount points (or directories: events outside them are dropped)
   * @param events names from {@link #EVENT_NAMES}
   */
  public FanotifyWatcher(
      LinuxNative nat,
      ProcFs proc,
      List<Path> mounts,
      Set<String> events,
      String host,
      String cluster,
      FileEventSink sink) {
    this.nat = nat;
    this.proc = proc;
    this.mounts = mounts.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
    long bits = 0;
    for (String e : events) {
      Long b = EVENT_NAMES.get(e.toLowerCase(Locale.ROOT));
      if (b == null) {
        throw new IllegalArgumentException("unknown fanotify event " + e);
      }
      bits |= b;
    }
    this.selected = bits;
    this.host = host;
    this.cluster = cluster;
    this.sink = sink;
    this.ownPid = nat.getpid();
  }

  /**
   * Creates the groups and marks and starts reading.
   *
   * @throws NativeException when fanotify cannot be used at all (no CAP_SYS_ADMIN, no kernel
   *     support, a mount point that does not exist)
   */
  public synchronized void start() throws NativeException {
    running = true;
    long fdMask = selected & FD_BITS;
    // One name-reporting group when the kernel has it: every event then carries the name it
    // happened under, and all events share one queue, in order. An fd-mode group resolves paths
    // only when provd reads the event, by which time the file may be renamed or deleted.
    startDirGroup();
    if (fdMask != 0 && dirMode.equals("unavailable")) {
      int fd =
          nat.fanotifyInit(
              FanotifyFlags.FAN_CLASS_NOTIF
                  | FanotifyFlags.FAN_CLOEXEC
                  | FanotifyFlags.FAN_NONBLOCK,
              FanotifyFlags.O_RDONLY | FanotifyFlags.O_LARGEFILE | FanotifyFlags.O_CLOEXEC);
      groupFds.add(fd);
      for (String m : mounts) {
        nat.fanotifyMark(fd, FanotifyFlags.FAN_MARK_ADD | FanotifyFlags.FAN_MARK_MOUNT, fdMask, m);
      }
      startReader(fd, "fanotify-fd", true);
      fdGroup = true;
    }
    LOG.info(
        "fanotify watching {}: {}",
        mounts,
        fdGroup
            ? "open/close/modify with paths resolved at read time (kernel without"
                + " FAN_REPORT_DFID_NAME); no create/delete/move"
            : "names reported by the kernel, moves paired by " + dirMode);
  }

  /**
   * How events are reported: {@code rename} (FAN_RENAME pairs moves), {@code moved} (moves paired
   * by order), {@code on} (name reporting, moves not selected) or {@code unavailable} (kernel
   * before 5.9: fd mode, open/close/modify only).
   */
  public synchronized String dirMode() {
    return dirMode;
  }

  private void startDirGroup() throws NativeException {
    int base =
        FanotifyFlags.FAN_CLASS_NOTIF
            | FanotifyFlags.FAN_CLOEXEC
            | FanotifyFlags.FAN_NONBLOCK
            | FanotifyFlags.FAN_REPORT_DFID_NAME
            | FanotifyFlags.FAN_REPORT_FID;
    long common = (selected & (FD_BITS | FAN_CREATE | FAN_DELETE)) | FAN_ONDIR;
    boolean moves = (selected & (FAN_MOVED_FROM | FAN_MOVED_TO)) != 0;
    int fd = -1;
    // Newest first: FAN_RENAME (5.17) names both ends of a move in one event.
    if (moves) {
      try {
        fd = tryDirGroup(base | FanotifyFlags.FAN_REPORT_TARGET_FID, common | FAN_RENAME);
        dirMode = "rename";
      } catch (NativeCallException e) {
        LOG.info("FAN_RENAME unavailable ({}); pairing moves by order", e.getMessage());
      }
    }
    if (fd < 0) {
      long mask = common | (moves ? FAN_MOVED_FROM | FAN_MOVED_TO : 0);
      try {
        fd = tryDirGroup(base, mask);
        dirMode = moves ? "moved" : "on";
      } catch (NativeCallException e) {
        dirMode = "unavailable";
        LOG.warn(
            "create/delete/move events unavailable: this kernel ({}) lacks"
                + " FAN_REPORT_DFID_NAME (Linux 5.9+) or the file system lacks file handles: {}",
            System.getProperty("os.version"),
            e.getMessage());
        return;
      }
    }
    for (String m : mounts) {
      mountFdByFsid.put(
          nat.fsid(m),
          nat.open(
              m, FanotifyFlags.O_RDONLY | FanotifyFlags.O_DIRECTORY | FanotifyFlags.O_CLOEXEC));
    }
    groupFds.add(fd);
    startReader(fd, "fanotify-dir", false);
  }

  private int tryDirGroup(int flags, long mask) throws NativeException {
    int fd = nat.fanotifyInit(flags, FanotifyFlags.O_RDONLY | FanotifyFlags.O_CLOEXEC);
    try {
      for (String m : mounts) {
        // Directory-entry events need a file-system (or inode) mark; mount marks refuse them.
        nat.fanotifyMark(
            fd, FanotifyFlags.FAN_MARK_ADD | FanotifyFlags.FAN_MARK_FILESYSTEM, mask, m);
      }
      return fd;
    } catch (NativeException e) {
      nat.close(fd);
      throw e;
    }
  }

  private void startReader(int fd, String name, boolean fdMode) {
    Thread t =
        new Thread(
            () -> {
              try {
                readLoop(fd, fdMode);
              } catch (RuntimeException | NativeException e) {
                LOG.error("{} stopped: {}", name, e.toString(), e);
              }
            },
            name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void readLoop(int fd, boolean fdMode) throws NativeException {
    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
    while (running) {
      if (!nat.pollReadable(fd, 250)) {
        if (!fdMode) {
          flushHeld();
        }
        continue;
      }
      buf.clear();
      int n = nat.read(fd, buf);
      if (n <= 0) {
        continue;
      }
      buf.flip();
      FanotifyParser.Result r = FanotifyParser.parse(buf);
      if (r.problem() != null) {
        LOG.warn("fanotify data not understood: {}", r.problem());
      }
      Instant now = Instant.now();
      for (FanotifyEvent e : r.events()) {
        eventsRead.incrementAndGet();
        if (fdMode) {
          onFdEvent(e, now);
        } else {
          onDirEvent(e, now);
        }
      }
    }
    flushHeld();
  }

  private void onFdEvent(FanotifyEvent e, Instant now) {
    try {
      if (e.has(FAN_Q_OVERFLOW)) {
        overflow();
        return;
      }
      if (e.fd() < 0) {
        return;
      }
      if (e.pid() == ownPid) {
        ownEventsSkipped.incrementAndGet();
        return;
      }
      Path fdPath = Path.of("/proc/self/fd/" + e.fd());
      String path;
      try {
        path = Files.readSymbolicLink(fdPath).toString();
      } catch (IOException ex) {
        unresolved.incrementAndGet();
        return;
      }
      String fs = mountOf(path);
      if (fs == null) {
        return;
      }
      MmwatchRecord.FileAttrs attrs = stat(fdPath, true);
      long inode = attrs == null ? -1 : inodeOf(fdPath, true);
      int[] ids = ids(e.pid());
      for (long bit : FD_ORDER) {
        if (e.has(bit) && (selected & bit) != 0) {
          publish(
              new MmwatchRecord(
                  name(bit, false),
                  bit,
                  0,
                  path,
                  cluster,
                  host,
                  fs,
                  inode,
                  attrs,
                  now,
                  ids[0],
                  ids[1],
                  e.pid()));
        }
      }
    } finally {
      // Every fd-mode event holds an open fd in provd: close it whatever happened.
      nat.close(e.fd());
    }
  }

  private void onDirEvent(FanotifyEvent e, Instant now) {
    if (e.has(FAN_Q_OVERFLOW)) {
      overflow();
      return;
    }
    if (e.pid() == ownPid) {
      ownEventsSkipped.incrementAndGet();
      return;
    }
    boolean dir = e.has(FAN_ONDIR);
    FanotifyEvent.Info object = e.info(FanotifyFlags.INFO_FID);
    byte[] objectHandle = object == null ? null : object.fileHandle();
    int[] ids = ids(e.pid());
    if (e.has(FAN_RENAME)) {
      flushHeld();
      String from = resolve(e.info(FanotifyFlags.INFO_OLD_DFID_NAME));
      String to = resolve(e.info(FanotifyFlags.INFO_NEW_DFID_NAME));
      String fs = mountOf(to != null ? to : from);
      if (fs == null) {
        return;
      }
      ObjectStat st = statObject(object);
      MmwatchRecord.FileAttrs attrs = st.attrs();
      long inode = st.inode();
      long cookie = cookies.incrementAndGet();
      publish(
          new MmwatchRecord(
              name(FAN_MOVED_FROM, dir),
              FAN_MOVED_FROM | (dir ? FAN_ONDIR : 0),
              cookie,
              from,
              cluster,
              host,
              fs,
              inode,
              attrs,
              now,
              ids[0],
              ids[1],
              e.pid()));
      publish(
          new MmwatchRecord(
              name(FAN_MOVED_TO, dir),
              FAN_MOVED_TO | (dir ? FAN_ONDIR : 0),
              cookie,
              to,
              cluster,
              host,
              fs,
              inode,
              attrs,
              now,
              ids[0],
              ids[1],
              e.pid()));
      return;
    }
    String path = resolve(e.info(FanotifyFlags.INFO_DFID_NAME));
    String fs = path == null ? (mounts.size() == 1 ? mounts.get(0) : null) : mountOf(path);
    if (fs == null) {
      flushHeld();
      return;
    }
    long dirBit = dir ? FAN_ONDIR : 0;
    // Directory opens and closes (every ls) are noise for provenance; FAN_ONDIR is in the mask
    // only for mkdir, rmdir and directory moves.
    if ((e.mask() & FD_BITS) != 0 && !dir) {
      flushHeld();
      ObjectStat st = statObject(object);
      long inode = st.inode();
      MmwatchRecord.FileAttrs attrs = st.attrs();
      for (long bit : FD_ORDER) {
        if (e.has(bit) && (selected & bit) != 0) {
          publish(
              new MmwatchRecord(
                  name(bit, dir),
                  bit | dirBit,
                  0,
                  path,
                  cluster,
                  host,
                  fs,
                  inode,
                  attrs,
                  now,
                  ids[0],
                  ids[1],
                  e.pid()));
        }
      }
    }
    if (e.has(FAN_CREATE)) {
      flushHeld();
      ObjectStat st = statObject(object);
      publish(
          new MmwatchRecord(
              name(FAN_CREATE, dir),
              FAN_CREATE | dirBit,
              0,
              path,
              cluster,
              host,
              fs,
              st.inode(),
              st.attrs(),
              now,
              ids[0],
              ids[1],
              e.pid()));
    }
    if (e.has(FAN_MOVED_FROM)) {
      flushHeld();
      held =
          new Held(
              new MmwatchRecord(
                  name(FAN_MOVED_FROM, dir),
                  FAN_MOVED_FROM | dirBit,
                  0,
                  path,
                  cluster,
                  host,
                  fs,
                  FanotifyParser.inodeFromHandle(objectHandle),
                  null,
                  now,
                  ids[0],
                  ids[1],
                  e.pid()),
              e.pid(),
              objectHandle);
    }
    if (e.has(FAN_MOVED_TO)) {
      ObjectStat st = statObject(object);
      MmwatchRecord.FileAttrs attrs = st.attrs();
      long inode = st.inode();
      long cookie;
      Held h = held;
      if (h != null && h.pid() == e.pid() && Arrays.equals(h.object(), objectHandle)) {
        held = null;
        cookie = cookies.incrementAndGet();
        MmwatchRecord f = h.record();
        publish(
            new MmwatchRecord(
                f.event(),
                f.mask(),
                cookie,
                f.path(),
                f.clusterName(),
                f.nodeName(),
                f.fsName(),
                inode,
                attrs,
                f.eventTime(),
                f.clientUserId(),
                f.clientGroupId(),
                f.processId()));
      } else {
        flushHeld();
        cookie = cookies.incrementAndGet();
      }
      publish(
          new MmwatchRecord(
              name(FAN_MOVED_TO, dir),
              FAN_MOVED_TO | dirBit,
              cookie,
              path,
              cluster,
              host,
              fs,
              inode,
              attrs,
              now,
              ids[0],
              ids[1],
              e.pid()));
    }
    if (e.has(FAN_DELETE)) {
      flushHeld();
      publish(
          new MmwatchRecord(
              name(FAN_DELETE, dir),
              FAN_DELETE | dirBit,
              0,
              path,
              cluster,
              host,
              fs,
              FanotifyParser.inodeFromHandle(objectHandle),
              null,
              now,
              ids[0],
              ids[1],
              e.pid()));
    }
  }

  /** Publishes a held MOVED_FROM without a partner (its cookie is still unique). */
  private void flushHeld() {
    Held h = held;
    if (h == null) {
      return;
    }
    held = null;
    MmwatchRecord f = h.record();
    publish(
        new MmwatchRecord(
            f.event(),
            f.mask(),
            cookies.incrementAndGet(),
            f.path(),
            f.clusterName(),
            f.nodeName(),
            f.fsName(),
            f.inode(),
            f.attrs(),
            f.eventTime(),
            f.clientUserId(),
            f.clientGroupId(),
            f.processId()));
  }

  private void overflow() {
    long n = overflows.incrementAndGet();
    if (n == 1 || Long.bitCount(n) == 1) {
      LOG.warn(
          "fanotify queue overflowed ({} times so far): file events were lost; narrow the"
              + " configured mounts or events",
          n);
    }
  }

  private String resolve(FanotifyEvent.Info info) {
    if (info == null) {
      unresolved.incrementAndGet();
      return null;
    }
    Integer mountFd = mountFdByFsid.get(info.fsid());
    if (mountFd == null) {
      unresolved.incrementAndGet();
      return null;
    }
    int dirFd;
    try {
      dirFd =
          nat.openByHandleAt(
              mountFd, info.fileHandle(), FanotifyFlags.O_PATH | FanotifyFlags.O_CLOEXEC);
    } catch (NativeException e) {
      // ESTALE: the directory itself is gone already.
      unresolved.incrementAndGet();
      return null;
    }
    try {
      String dir = Files.readSymbolicLink(Path.of("/proc/self/fd/" + dirFd)).toString();
      String name = info.name();
      if (name == null || name.isEmpty() || name.equals(".")) {
        return dir;
      }
      return dir.endsWith("/") ? dir + name : dir + "/" + name;
    } catch (IOException e) {
      unresolved.incrementAndGet();
      return null;
    } finally {
      nat.close(dirFd);
    }
  }

  /** The configured mount point holding {@code path} (the longest), or {@code null}. */
  String mountOf(String path) {
    String best = null;
    for (String m : mounts) {
      boolean under = m.equals("/") || path.equals(m) || path.startsWith(m + "/");
      if (under && (best == null || m.length() > best.length())) {
        best = m;
      }
    }
    return best;
  }

  private static String name(long bit, boolean dir) {
    String n =
        bit == FAN_OPEN
            ? "IN_OPEN"
            : bit == FAN_ACCESS
                ? "IN_ACCESS"
                : bit == FAN_MODIFY
                    ? "IN_MODIFY"
                    : bit == FAN_CLOSE_WRITE
                        ? "IN_CLOSE_WRITE"
                        : bit == FAN_CLOSE_NOWRITE
                            ? "IN_CLOSE_NOWRITE"
                            : bit == FAN_CREATE
                                ? "IN_CREATE"
                                : bit == FAN_DELETE
                                    ? "IN_DELETE"
                                    : bit == FAN_MOVED_FROM ? "IN_MOVED_FROM" : "IN_MOVED_TO";
    return dir ? n + " IN_ISDIR" : n;
  }

  private int[] ids(int pid) {
    return new int[] {proc.effectiveUid(pid).orElse(-1), proc.effectiveGid(pid).orElse(-1)};
  }

  private static MmwatchRecord.FileAttrs stat(Path p, boolean follow) {
    try {
      Map<String, Object> a =
          follow
              ? Files.readAttributes(
                  p, "unix:mode,nlink,size,uid,gid,lastAccessTime,ctime,lastModifiedTime")
              : Files.readAttributes(
                  p,
                  "unix:mode,nlink,size,uid,gid,lastAccessTime,ctime,lastModifiedTime",
                  LinkOption.NOFOLLOW_LINKS);
      return new MmwatchRecord.FileAttrs(
          (Integer) a.get("mode"),
          ((Number) a.get("nlink")).longValue(),
          (Long) a.get("size"),
          (Integer) a.get("uid"),
          (Integer) a.get("gid"),
          ((FileTime) a.get("lastAccessTime")).toInstant(),
          ((FileTime) a.get("ctime")).toInstant(),
          ((FileTime) a.get("lastModifiedTime")).toInstant());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long inodeOf(Path p, boolean follow) {
    try {
      Object ino =
          follow
              ? Files.getAttribute(p, "unix:ino")
              : Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
      return ((Number) ino).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The inode and attributes of an event's object, or what the handle alone tells. */
  private record ObjectStat(long inode, MmwatchRecord.FileAttrs attrs) {}

  /**
   * Stats the event's object through its file handle, so the attributes are the object's even if it
   * has been renamed since; a deleted object only yields the inode its handle carries.
   */
  private ObjectStat statObject(FanotifyEvent.Info object) {
    if (object == null) {
      return new ObjectStat(-1, null);
    }
    long fromHandle = FanotifyParser.inodeFromHandle(object.fileHandle());
    Integer mountFd = mountFdByFsid.get(object.fsid());
    if (mountFd == null) {
      return new ObjectStat(fromHandle, null);
    }
    int fd;
    try {
      fd =
          nat.openByHandleAt(
              mountFd, object.fileHandle(), FanotifyFlags.O_PATH | FanotifyFlags.O_CLOEXEC);
    } catch (NativeException e) {
      return new ObjectStat(fromHandle, null);
    }
    try {
      Path p = Path.of("/proc/self/fd/" + fd);
      long ino = inodeOf(p, true);
      return new ObjectStat(ino >= 0 ? ino : fromHandle, stat(p, true));
    } finally {
      nat.close(fd);
    }
  }

  private void publish(MmwatchRecord r) {
    try {
      sink.publish(host, JSON.writeValueAsBytes(r.toJson(JSON)));
      recordsPublished.incrementAndGet();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a file event", e);
    }
  }

  /** Stops reading and closes the groups and mount fds. */
  @Override
  public synchronized void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int fd : groupFds) {
      nat.close(fd);
    }
    for (int fd : mountFdByFsid.values()) {
      nat.close(fd);
    }
    groupFds.clear();
    mountFdByFsid.clear();
  }
}
