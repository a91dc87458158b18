package io.ursprung.plugin.model;

import io.ursprung.events.Credentials;
import io.ursprung.events.EventData;
import io.ursprung.events.FileAccess;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessGroupChanged;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.RawSyscall;
import io.ursprung.events.SocketActivity;
import io.ursprung.plugin.audit.AuditEvent;
import io.ursprung.plugin.audit.AuditRecord;
import io.ursprung.plugin.audit.RecordTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process, fd-table and pipe model of one host, driven by complete audit events in (roughly)
 * serial order.
 *
 * <p>Decisions worth knowing:
 *
 * <ul>
 *   <li>Failed syscalls change nothing, except connect returning -115 (EINPROGRESS), which does
 *       connect. exit/exit_group records have no success field and count as successful.
 *   <li>A child's events can come before the parent's clone/vfork record (vfork and posix_spawn
 *       suspend the parent until the child execs). Events of an unknown pid whose ppid is a known
 *       process are therefore held back until the parent's clone record names the child, then
 *       replayed; if none comes within a window the process is announced as first-seen.
 *   <li>clone with CLONE_THREAD creates a thread; clone3 hides its flags, so a clone3 child is
 *       counted as a thread until a record shows it as a pid of its own with the clone3 caller as
 *       ppid, within {@link #CLONE3_WINDOW_MS} of event time, when it is announced as a process
 *       (how=clone3, started at the clone3 time, inheriting the parent's descriptors as they are
 *       then). exit (not exit_group) ends a thread while the process has threads; it ends the
 *       process only when all its threads are known (seen from its clone or exec) and none is left.
 *   <li>Deaths without an exit record are noticed when a clone hands out the pid again, or when the
 *       pid shows up with a different ppid while the old parent is still alive (so it cannot have
 *       been re-parented): ProcessExited how=pid-reused. At end of input nothing is emitted for
 *       processes still alive: the input ending does not mean they ended.
 *   <li>A write-close is reported when the last descriptor of a writable open file description goes
 *       (close, dup2 over it, close_range, close-on-exec, exit), which is when a new file version
 *       exists.
 * </ul>
 */
final class HostModel {
  private static final byte[] ARCH = "arch".getBytes();
  private static final byte[] SYSCALL = "syscall".getBytes();
  private static final byte[] SUCCESS = "success".getBytes();
  private static final byte[] EXIT = "exit".getBytes();
  private static final byte[] A0 = "a0".getBytes();
  private static final byte[] A1 = "a1".getBytes();
  private static final byte[] A2 = "a2".getBytes();
  private static final byte[] A3 = "a3".getBytes();
  private static final byte[] PID = "pid".getBytes();
  private static final byte[] PPID = "ppid".getBytes();
  private static final byte[] UID = "uid".getBytes();
  private static final byte[] GID = "gid".getBytes();
  private static final byte[] EUID = "euid".getBytes();
  private static final byte[] EGID = "egid".getBytes();
  private static final byte[] AUID = "auid".getBytes();
  private static final byte[] EXE = "exe".getBytes();
  private static final byte[] CWD = "cwd".getBytes();
  private static final byte[] NAME = "name".getBytes();
  private static final byte[] NAMETYPE = "nametype".getBytes();
  private static final byte[] OBJTYPE = "objtype".getBytes();
  private static final byte[] INODE = "inode".getBytes();
  private static final byte[] DEV = "dev".getBytes();
  private static final byte[] MODE = "mode".getBytes();
  private static final byte[] ITEMS = "items".getBytes();
  private static final byte[] FD0 = "fd0".getBytes();
  private static final byte[] FD1 = "fd1".getBytes();
  private static final byte[] SADDR = "saddr".getBytes();
  private static final byte[] OFLAG = "oflag".getBytes();

  private static final int AT_FDCWD = -100;
  private static final long CLONE_THREAD = 0x10000;
  private static final long O_ACCMODE = 3;
  private static final long O_TRUNC = 0x200;
  private static final long O_DIRECTORY = 0x10000;
  private static final long O_CLOEXEC = 0x80000;
  private static final long O_PATH = 0x200000;
  private static final long AT_REMOVEDIR = 0x200;
  private static final long CLOSE_RANGE_CLOEXEC = 4;
  private static final long UNSET_ID = 4294967295L;
  private static final long EINPROGRESS = -115;

  // name types of PATH items
  private static final int NT_OTHER = 0;
  private static final int NT_NORMAL = 1;
  private static final int NT_PARENT = 2;
  private static final int NT_CREATE = 3;
  private static final int NT_DELETE = 4;
  private static final int NT_UNKNOWN = 5;

  private final String host;
  private final Emitter out;
  private final NameCache names;
  private final boolean raw;
  private final long deferWindowMs;
  private final long deferWindowEvents;

  private final HashMap<Integer, Proc> procs = new HashMap<>();
  private final LinkedHashMap<Integer, Deferred> deferred = new LinkedHashMap<>();
  // in insertion order, which is event-time order, for the time-out
  private final LinkedHashMap<Integer, PendingClone> clone3 = new LinkedHashMap<>();
  private long clock = Long.MIN_VALUE;
  private long applied;
  long unresolvedPaths;

  private static final class Deferred {
    final List<AuditEvent> events = new ArrayList<>(4);
    long firstClock;
    long firstIndex;
    long wall;
  }

  /**
   * How long, in event time, a clone3 child may stay silent before it is taken for a thread for
   * good. A child that is a process almost always acts at once (posix_spawn's clone3 is a vfork:
   * the child execs before the parent's record is even written), while threads never show up under
   * their own id, so without a bound every thread would hold its clone3 event until the parent
   * exits. A process child that acts later is still linked to its parent, as first-seen.
   */
  static final long CLONE3_WINDOW_MS = 10_000;

  private static final class PendingClone {
    final Proc parent;
    final AuditEvent event;
    final long clock;

    /** Whether the child is included in the parent's thread count. */
    boolean counted = true;

    PendingClone(Proc parent, AuditEvent event, long clock) {
      this.parent = parent;
      this.event = event;
      this.clock = clock;
    }
  }

  HostModel(
      String host,
      Emitter out,
      NameCache names,
      boolean raw,
      long deferWindowMs,
      long deferWindowEvents) {
    this.host = host;
    this.out = out;
    this.names = names;
    this.raw = raw;
    this.deferWindowMs = deferWindowMs;
    this.deferWindowEvents = deferWindowEvents;
  }

  int liveProcesses() {
    return procs.size();
  }

  /** The identities of the live processes. */
  List<ProcessRef> liveProcessRefs() {
    List<ProcessRef> out = new ArrayList<>(procs.size());
    for (Proc p : procs.values()) {
      out.add(p.ref);
    }
    return out;
  }

  int pendingClone3() {
    return clone3.size();
  }

  // ---------------------------------------------------------------------------------------------
  // entry

  void apply(AuditEvent ev) {
    applied++;
    if (ev.timeMs() > clock) {
      clock = ev.timeMs();
    }
    expireClone3();
    applyOne(ev);
    expireDeferred();
  }

  private void applyOne(AuditEvent ev) {
    AuditRecord sc = ev.syscall();
    if (sc == null) {
      return;
    }
    int pid = (int) sc.dec(PID, -1);
    if (pid < 1) {
      return;
    }
    int ppid = (int) sc.dec(PPID, -1);
    int arch = (int) sc.hex(ARCH, 0);
    Sys sys = Sys.of(arch, sc.dec(SYSCALL, -1));
    if (sys == Sys.OTHER && !Sys.knownArch(arch)) {
      sys = Sys.named(sc.enriched("SYSCALL"));
    }
    long exit = sc.dec(EXIT, Long.MIN_VALUE);
    boolean ok = isSuccess(sc, sys, exit);

    Proc p = procs.get(pid);
    if (p != null && ppid > 0 && ppid != p.ppid && ok) {
      p = checkReparentOrReuse(p, ppid, ev);
    }
    if (p == null && !killed.isEmpty() && killedLately(pid)) {
      // a record the killed process wrote before it died, queued behind the kill on another CPU:
      // it belongs to the process that just ended, not to a new one
      afterKill++;
      return;
    }
    if (p == null && ok) {
      PendingClone pc = clone3.remove(pid);
      if (pc != null && ppid > 0 && ppid != pc.parent.pid) {
        // another process's child: the clone3 thread has ended and its number was handed out
        // again
        forget(pc);
        pc = null;
      }
      if (pc != null) {
        p = materializeClone3(pid, pc);
      } else {
        Deferred d = deferred.get(pid);
        if (d != null) {
          d.events.add(ev);
          return;
        }
        if (ppid > 0 && (procs.containsKey(ppid) || deferred.containsKey(ppid))) {
          d = new Deferred();
          d.firstClock = clock;
          d.firstIndex = applied;
          d.wall = lastTick;
          d.events.add(ev);
          deferred.put(pid, d);
          return;
        }
        p = firstSeen(ev, sc, pid, ppid);
      }
    }
    if (raw) {
      emitRaw(ev, sc, sys, p, exit);
    }
    if (!ok || p == null) {
      return;
    }
    updateCwd(p, ev);
    switch (sys) {
      case CLONE:
        // s390x passes the new stack first and the flags second
        if ((sc.hex(arch == Sys.ARCH_S390X ? A1 : A0, 0) & CLONE_THREAD) != 0) {
          if (exit > 0) {
            p.threads++;
          }
        } else {
          child(p, (int) exit, ev, "clone");
        }
        break;
      case FORK:
        child(p, (int) exit, ev, "fork");
        break;
      case VFORK:
        child(p, (int) exit, ev, "vfork");
        break;
      case CLONE3:
        clone3(p, (int) exit, ev);
        break;
      case EXECVE:
      case EXECVEAT:
        exec(p, ev, sc, sys);
        break;
      case EXIT:
        if (p.threads > 0) {
          p.threads--;
        } else if (p.threadsKnown) {
          exit(p, ev, sc, "exit");
        }
        // Otherwise the process was first seen mid-life and may have threads we never saw. The
        // record carries only the thread-group id, so it cannot say whether the main or the last
        // thread is leaving. Ending the process on a thread's exit would close its descriptors
        // (false write-close versions) and split it in two when its other threads act again,
        // while glibc's exit() and _exit() use exit_group, so a plain exit is almost always a
        // thread's. If it was the last thread, the death is noticed like a death by signal, when
        // the pid is reused.
        break;
      case EXIT_GROUP:
        exit(p, ev, sc, "exit_group");
        break;
      case OPEN:
      case OPENAT:
      case OPENAT2:
      case CREAT:
        open(p, ev, sc, sys, exit);
        break;
      case CLOSE:
        closeFd(p, (int) sc.hex(A0, -1), ev);
        break;
      case CLOSE_RANGE:
        closeRange(p, sc, ev);
        break;
      case DUP:
      case DUP2:
      case DUP3:
        dup(
            p,
            (int) sc.hex(A0, -1),
            (int) exit,
            sys == Sys.DUP3 && (sc.hex(A2, 0) & O_CLOEXEC) != 0,
            ev);
        break;
      case FCNTL:
        long cmd = sc.hex(A1, -1);
        if (cmd == 0 || cmd == 1030) {
          dup(p, (int) sc.hex(A0, -1), (int) exit, cmd == 1030, ev);
        }
        break;
      case PIPE:
      case PIPE2:
      case SOCKETPAIR:
        pipe(p, ev, sc, sys);
        break;
      case SOCKET:
        socket(p, sc, (int) exit, ev);
        break;
      case BIND:
      case CONNECT:
      case ACCEPT:
      case ACCEPT4:
      case LISTEN:
        socketOp(p, ev, sc, sys, exit);
        break;
      case RENAME:
      case RENAMEAT:
      case RENAMEAT2:
        rename(p, ev, sc, sys);
        break;
      case UNLINK:
      case UNLINKAT:
      case RMDIR:
        unlink(p, ev, sc, sys);
        break;
      case LINK:
      case LINKAT:
        link(p, ev, sc, sys);
        break;
      case SYMLINK:
      case SYMLINKAT:
        symlink(p, ev, sc, sys);
        break;
      case TRUNCATE:
      case FTRUNCATE:
        truncate(p, ev, sc, sys);
        break;
      case MKDIR:
      case MKDIRAT:
        mkdir(p, ev, sc, sys);
        break;
      case CHDIR:
      case FCHDIR:
        chdir(p, ev, sc, sys);
        break;
      case SETPGID:
        setpgid(p, ev, sc);
        break;
      case KILL:
      case TKILL:
      case TGKILL:
        signal(p, ev, sc, sys);
        break;
      case SETSID:
        if (exit > 0) {
          p.pgid = (int) exit;
          p.sid = (int) exit;
          emit(ev, new ProcessGroupChanged(p.ref, (int) exit, (int) exit, "setsid"));
        }
        break;
      default:
        break;
    }
  }

  private static boolean isSuccess(AuditRecord sc, Sys sys, long exit) {
    int f = sc.find(SUCCESS);
    if (f < 0) {
      return true; // exit/exit_group: the kernel logs no result
    }
    String v = sc.raw(SUCCESS);
    if ("yes".equals(v)) {
      return true;
    }
    return sys == Sys.CONNECT && exit == EINPROGRESS;
  }

  // ---------------------------------------------------------------------------------------------
  // process lifecycle

  private Proc firstSeen(AuditEvent ev, AuditRecord sc, int pid, int ppid) {
    Proc p = new Proc(pid, new ProcessRef(pid, Instant.ofEpochMilli(ev.timeMs())), ppid);
    Proc parent = ppid > 0 ? procs.get(ppid) : null;
    p.parent = parent == null ? null : parent.ref;
    updateCwd(p, ev);
    p.exe = sc.encoded(EXE);
    Credentials c = credentials(p, sc);
    procs.put(pid, p);
    emit(
        ev,
        new ProcessStarted(
            p.ref,
            p.parent,
            ppid > 0 ? ppid : null,
            null,
            null,
            c,
            p.cwd,
            p.exe,
            null,
            "first-seen"));
    return p;
  }

  private Proc checkReparentOrReuse(Proc p, int ppid, AuditEvent ev) {
    Proc oldParent = procs.get(p.ppid);
    if (oldParent != null && p.parent != null && oldParent.ref.equals(p.parent)) {
      // the parent still lives, so the child cannot have been re-parented: a new process has the
      // pid
      died(p, ev, "pid-reused");
      return null;
    }
    p.ppid = ppid;
    return p;
  }

  private void child(Proc parent, int childPid, AuditEvent ev, String how) {
    if (childPid <= 0) {
      return;
    }
    killed.remove(childPid); // handed out again: records of this pid are the new process's
    Proc old = procs.get(childPid);
    if (old != null && old.snapshotAt > ev.timeMs()) {
      return; // the birth of a process the /proc snapshot already holds (read while scanning)
    }
    if (old != null) {
      died(old, ev, "pid-reused");
    }
    dropPendingClone(childPid);
    Proc c =
        new Proc(childPid, new ProcessRef(childPid, Instant.ofEpochMilli(ev.timeMs())), parent.pid);
    c.parent = parent.ref;
    c.threadsKnown = true;
    inherit(c, parent);
    procs.put(childPid, c);
    emit(
        ev,
        new ProcessStarted(
            c.ref, parent.ref, parent.pid, c.pgid, c.sid, c.creds, c.cwd, c.exe, c.argv, how));
    Deferred d = deferred.remove(childPid);
    if (d != null) {
      for (AuditEvent e : d.events) {
        applyOne(e);
      }
    }
  }

  private static void inherit(Proc c, Proc parent) {
    c.pgid = parent.pgid;
    c.sid = parent.sid;
    c.cwd = parent.cwd;
    c.cwdRaw = parent.cwdRaw;
    c.exe = parent.exe;
    c.argv = parent.argv;
    c.execed = false;
    c.creds = parent.creds;
    System.arraycopy(parent.credIds, 0, c.credIds, 0, c.credIds.length);
    c.inheritFds(parent);
  }

  private void clone3(Proc parent, int childPid, AuditEvent ev) {
    if (childPid <= 0) {
      return;
    }
    if (deferred.containsKey(childPid)) {
      // the child already acted under its own pid: a process, not a thread
      child(parent, childPid, ev, "clone3");
      return;
    }
    // the number is handed out again, so an earlier holder has ended
    dropPendingClone(childPid);
    parent.threads++;
    parent.pendingClone3++;
    clone3.put(childPid, new PendingClone(parent, ev, clock));
  }

  private void dropPendingClone(int tid) {
    PendingClone pc = clone3.remove(tid);
    if (pc != null) {
      forget(pc);
    }
  }

  /** Takes a removed pending clone3 child, which was a thread that has ended, off its parent. */
  private static void forget(PendingClone pc) {
    Proc parent = pc.parent;
    if (pc.counted) {
      parent.threads = Math.max(0, parent.threads - 1);
    }
    parent.pendingClone3 = Math.max(0, parent.pendingClone3 - 1);
  }

  /** Pending clone3 children silent for the window stay counted as threads, without an entry. */
  private void expireClone3() {
    if (clone3.isEmpty()) {
      return;
    }
    Iterator<PendingClone> it = clone3.values().iterator();
    while (it.hasNext()) {
      PendingClone pc = it.next();
      if (clock - pc.clock < CLONE3_WINDOW_MS) {
        break;
      }
      it.remove();
      pc.parent.pendingClone3 = Math.max(0, pc.parent.pendingClone3 - 1);
    }
  }

  private Proc materializeClone3(int pid, PendingClone pc) {
    Proc parent = pc.parent;
    if (pc.counted) {
      parent.threads = Math.max(0, parent.threads - 1);
    }
    parent.pendingClone3 = Math.max(0, parent.pendingClone3 - 1);
    Proc old = procs.get(pid);
    if (old != null) {
      died(old, pc.event, "pid-reused");
    }
    AuditEvent ev = pc.event;
    Proc c = new Proc(pid, new ProcessRef(pid, Instant.ofEpochMilli(ev.timeMs())), parent.pid);
    c.parent = parent.ref;
    c.threadsKnown = true;
    boolean parentAlive = procs.get(parent.pid) == parent;
    if (parentAlive) {
      inherit(c, parent);
    }
    procs.put(pid, c);
    emit(
        ev,
        new ProcessStarted(
            c.ref, parent.ref, parent.pid, c.pgid, c.sid, c.creds, c.cwd, c.exe, c.argv, "clone3"));
    return c;
  }

  private void exec(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    List<String> argv = ev.argv();
    String exe = sc.encoded(EXE);
    long items = sc.dec(ITEMS, 0);
    AuditRecord item0 = ev.pathItem(0);
    AuditRecord binary = item0;
    if (items >= 3) {
      // a #! script: item 0 is the script, item 2 the interpreter the kernel loaded
      AuditRecord interp = ev.pathItem(2);
      if (interp != null) {
        binary = interp;
      }
      if (item0 != null) {
        int dirfd = sys == Sys.EXECVEAT ? (int) sc.hex(A0, AT_FDCWD) : AT_FDCWD;
        String script = resolve(p, dirfd, item0.encoded(NAME));
        if (script != null) {
          emit(
              ev,
              new FileAccess(
                  p.ref,
                  FileAccess.Op.OPEN,
                  script,
                  inode(item0),
                  item0.raw(DEV),
                  null,
                  null,
                  true,
                  false,
                  false,
                  false,
                  null,
                  null,
                  objectType(item0)));
        }
      }
    }
    // the kernel closed the close-on-exec descriptors before the new image ran
    for (int fd = 0; fd < p.fds.length; fd++) {
      if (p.fds[fd] != null && p.cloexec[fd]) {
        closeFd(p, fd, ev);
      }
    }
    p.exe = exe;
    p.argv = argv;
    p.execed = true;
    // exec ends every other thread of the process, including clone3 children that were threads
    p.threads = 0;
    p.threadsKnown = true;
    if (p.pendingClone3 > 0) {
      for (PendingClone pc : clone3.values()) {
        if (pc.parent == p) {
          pc.counted = false;
        }
      }
    }
    Credentials c = credentials(p, sc);
    emit(
        ev,
        new ProcessExec(
            p.ref,
            exe,
            binary == null ? null : inode(binary),
            binary == null ? null : binary.raw(DEV),
            argv,
            p.cwd,
            c,
            sys.wireName()));
    registerEndpoints(p, ev);
  }

  private void exit(Proc p, AuditEvent ev, AuditRecord sc, String how) {
    if (!p.execed) {
      registerEndpoints(p, ev);
    }
    closeAll(p, ev);
    procs.remove(p.pid);
    dropPendingClones(p);
    emit(ev, new ProcessExited(p.ref, (int) (sc.hex(A0, 0) & 0xff), null, how));
  }

  /** A death inferred without an exit record. */
  private void died(Proc p, AuditEvent ev, String how) {
    closeAll(p, ev);
    procs.remove(p.pid);
    dropPendingClones(p);
    emit(ev, new ProcessExited(p.ref, null, null, how));
  }

  private static final byte[] OPID = "opid".getBytes();
  private static final int SIGKILL = 9;

  /**
   * A signal delivered (kill, tkill, tgkill that succeeded): an Ipc of kind signal from sender to
   * each target, a wasInformedBy edge in the graph. The targets are the OBJ_PID records (one per
   * process reached, several for a group kill; the kernel writes them only when a rule covers
   * signal syscalls, as ours do), else the pid argument. Signal 0 only probes and is ignored;
   * targets the model does not know (not audited, or started before the plugin) are skipped, as
   * there is no start time to name them by.
   *
   * <p>SIGKILL cannot be caught, and a process it kills runs no exit syscall, so no exit record
   * ever comes: the target ends here (how=killed, signal 9), its descriptors are closed (a file it
   * was writing gets its last version) and its pid is free for the next process. Other signals may
   * be handled, so they end nothing; a process they kill is noticed at pid reuse as before.
   */
  private void signal(Proc sender, AuditEvent ev, AuditRecord sc, Sys sys) {
    int sig = (int) (sys == Sys.TGKILL ? sc.hex(A2, 0) : sc.hex(A1, 0));
    if (sig <= 0) {
      return;
    }
    List<Integer> targets = new ArrayList<>();
    for (AuditRecord r : ev.records()) {
      if (r.type() == RecordTypes.OBJ_PID) {
        int t = (int) r.dec(OPID, -1);
        if (t > 0) {
          targets.add(t);
        }
      }
    }
    if (targets.isEmpty()) {
      // a0 is the pid (kill: negative for a group, which only OBJ_PID can resolve), the thread
      // (tkill) or the thread group (tgkill)
      int t = (int) sc.hex(A0, 0);
      if (t > 0) {
        targets.add(t);
      }
    }
    String channel = signalName(sig);
    for (int t : targets) {
      Proc target = procs.get(t);
      if (target == null) {
        continue;
      }
      if (target != sender) {
        emit(ev, new Ipc("signal", channel, sender.ref, target.ref));
      }
      if (sig == SIGKILL) {
        killed.remove(target.pid);
        killed.put(target.pid, clock);
        closeAll(target, ev);
        procs.remove(target.pid);
        dropPendingClones(target);
        emit(ev, new ProcessExited(target.ref, null, SIGKILL, "killed"));
      }
    }
  }

  /**
   * How long, in event time, records of a pid just killed by SIGKILL are taken for the dead
   * process's last ones (syscalls it was finishing on another CPU, written after the kill's record)
   * rather than for a new process that got the pid: a pid is not handed out again that fast unless
   * a clone record says so, which ends the window at once.
   */
  static final long KILL_WINDOW_MS = 1000;

  /** pid -> event time of its SIGKILL, oldest first. */
  private final LinkedHashMap<Integer, Long> killed = new LinkedHashMap<>();

  /** Records dropped as a killed process's last ones. */
  long afterKill;

  private boolean killedLately(int pid) {
    Iterator<Map.Entry<Integer, Long>> it = killed.entrySet().iterator();
    while (it.hasNext() && clock - it.next().getValue() > KILL_WINDOW_MS) {
      it.remove();
    }
    return killed.containsKey(pid);
  }

  private static final String[] SIGNALS = {
    null,
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS"
  };

  /** Linux's name of a signal number (x86 and the generic table agree on 1..31). */
  static String signalName(int sig) {
    if (sig > 0 && sig < SIGNALS.length) {
      return SIGNALS[sig];
    }
    return sig >= 34 ? "SIGRTMIN+" + (sig - 34) : "SIG" + sig;
  }

  private void dropPendingClones(Proc p) {
    if (p.pendingClone3 == 0) {
      return;
    }
    clone3.values().removeIf(pc -> pc.parent == p);
    p.pendingClone3 = 0;
  }

  private void setpgid(Proc p, AuditEvent ev, AuditRecord sc) {
    int target = (int) sc.hex(A0, 0);
    int pgid = (int) sc.hex(A1, 0);
    Proc t = target == 0 || target == p.pid ? p : procs.get(target);
    if (t == null) {
      return;
    }
    int newPgid = pgid == 0 ? t.pid : pgid;
    t.pgid = newPgid;
    emit(ev, new ProcessGroupChanged(t.ref, newPgid, null, "setpgid"));
  }

  // ---------------------------------------------------------------------------------------------
  // processes already running when the plugin started

  /**
   * Seeds processes from a /proc snapshot taken before the first record (parents listed before
   * children): each is announced as first-seen with its real start time, and its open files are in
   * its table, so that their closes report a version like those of files opened under audit. Each
   * description counts one reference: /proc cannot tell which descriptors (across dup or fork)
   * share one, so a shared writable file reports a close per holder. Records older than the
   * snapshot (the plugin reads its input while scanning) neither restart a seeded process nor
   * report the close of a seeded file: see {@link Proc#snapshotAt}. A process in restoredStarts
   * (pid to start) takes that start instead of /proc's; parents come first, so a child's parent
   * reference is its parent's restored identity.
   */
  void seed(List<RunningProcess> running, long snapshotAt, Map<Integer, Instant> restoredStarts) {
    for (RunningProcess r : running) {
      if (procs.containsKey(r.pid())) {
        continue; // already known from the stream: the stream knows better
      }
      // the identity an earlier plugin instance gave this very process (see ProcState)
      Instant start = restoredStarts.getOrDefault(r.pid(), Instant.ofEpochMilli(r.startMs()));
      long startMs = start.toEpochMilli();
      Proc p = new Proc(r.pid(), new ProcessRef(r.pid(), start), r.ppid());
      Proc parent = procs.get(r.ppid());
      p.parent = parent == null ? null : parent.ref;
      p.pgid = r.pgid();
      p.sid = r.sid();
      p.cwd = r.cwd();
      p.exe = r.exe();
      p.argv = r.argv();
      // each process as of when it was read: a scan of many processes takes a while, and a
      // record from between the scan's start and this read describes what the read already saw
      long readAt = Math.max(snapshotAt, r.readAtMs());
      p.snapshotAt = readAt;
      // threadsKnown stays false: /proc's thread count races with the clone records still queued
      long[] ids = p.credIds;
      ids[0] = r.uid();
      ids[1] = r.gid();
      ids[2] = r.euid();
      ids[3] = r.egid();
      ids[4] = r.auid() == null ? -1 : r.auid();
      boolean auidSet = r.auid() != null && r.auid() != UNSET_ID;
      p.creds =
          new Credentials(
              (int) r.uid(),
              (int) r.gid(),
              (int) r.euid(),
              (int) r.egid(),
              auidSet ? (int) (long) r.auid() : null,
              names.user((int) r.uid(), null, "UID"),
              names.group((int) r.gid(), null, "GID"),
              auidSet ? names.user((int) (long) r.auid(), null, "AUID") : null);
      for (RunningProcess.OpenFd f : r.files()) {
        OpenFile of = new OpenFile(f.directory() ? OpenFile.DIR : OpenFile.FILE);
        of.path = f.path();
        of.inode = f.inode();
        of.device = f.device();
        of.objectType = f.directory() ? "dir" : "file";
        of.read = f.read();
        of.write = f.write();
        of.snapshotAt = readAt;
        if (p.put(f.fd(), of, f.cloexec())) {
          of.refs = 1;
        }
      }
      procs.put(r.pid(), p);
      // no audit record stands behind it: the id names the process, so a second snapshot of the
      // same process (after a plugin restart) repeats the same event
      AuditEvent ev = AuditEvent.synthetic(host, startMs, "proc-" + r.pid() + "-" + startMs);
      emit(
          ev,
          new ProcessStarted(
              p.ref,
              p.parent,
              r.ppid() > 0 ? r.ppid() : null,
              p.pgid,
              p.sid,
              p.creds,
              p.cwd,
              p.exe,
              p.argv,
              "first-seen"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // deferral of children seen before their parent's clone record

  private long lastTick = Long.MIN_VALUE;

  private void expireDeferred() {
    if (deferred.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<Integer, Deferred>> it = deferred.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Deferred> e = it.next();
      Deferred d = e.getValue();
      if (clock - d.firstClock < deferWindowMs && applied - d.firstIndex < deferWindowEvents) {
        break;
      }
      it.remove();
      flushDeferred(e.getKey(), d);
      // the map may have changed during the replay
      it = deferred.entrySet().iterator();
    }
  }

  private void flushDeferred(int pid, Deferred d) {
    boolean first = true;
    for (AuditEvent e : d.events) {
      if (first && !procs.containsKey(pid)) {
        AuditRecord sc = e.syscall();
        firstSeen(e, sc, pid, (int) sc.dec(PPID, -1));
      }
      first = false;
      applyOne(e);
    }
  }

  void tick(long now, long timeoutMs) {
    if (lastTick == Long.MIN_VALUE) {
      lastTick = now;
      for (Deferred d : deferred.values()) {
        d.wall = now;
      }
      return;
    }
    lastTick = now;
    while (!deferred.isEmpty()) {
      Map.Entry<Integer, Deferred> e = deferred.entrySet().iterator().next();
      Deferred d = e.getValue();
      long since = d.wall == Long.MIN_VALUE ? now : d.wall;
      if (d.wall == Long.MIN_VALUE) {
        d.wall = now;
      }
      if (now - since < timeoutMs) {
        break;
      }
      deferred.remove(e.getKey());
      flushDeferred(e.getKey(), d);
    }
  }

  void endOfInput() {
    while (!deferred.isEmpty()) {
      Map.Entry<Integer, Deferred> e = deferred.entrySet().iterator().next();
      deferred.remove(e.getKey());
      flushDeferred(e.getKey(), e.getValue());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // descriptors

  private void closeFd(Proc p, int fd, AuditEvent ev) {
    OpenFile of = p.remove(fd);
    if (of != null) {
      release(p, of, fd, ev);
    }
  }

  private void release(Proc p, OpenFile of, int fd, AuditEvent ev) {
    if (--of.refs > 0) {
      return;
    }
    if (of.snapshotAt > ev.timeMs()) {
      // a record from before the /proc snapshot, read while scanning: the snapshot showed this
      // description still open, so this was not its last close
      return;
    }
    if (of.kind == OpenFile.FILE && of.write && of.path != null) {
      emit(
          ev,
          new FileAccess(
              p.ref,
              FileAccess.Op.CLOSE,
              of.path,
              of.inode,
              of.device,
              fd >= 0 ? fd : null,
              null,
              of.read,
              true,
              null,
              null,
              null,
              null,
              of.objectType));
    }
  }

  private void closeAll(Proc p, AuditEvent ev) {
    OpenFile[] fds = p.fds;
    for (int fd = 0; fd < fds.length; fd++) {
      if (fds[fd] != null) {
        closeFd(p, fd, ev);
      }
    }
  }

  private void closeRange(Proc p, AuditRecord sc, AuditEvent ev) {
    long first = sc.hex(A0, -1) & 0xffffffffL;
    long last = sc.hex(A1, -1) & 0xffffffffL;
    long flags = sc.hex(A2, 0);
    long end = Math.min(last, p.fds.length - 1L);
    for (long fd = first; fd <= end; fd++) {
      int i = (int) fd;
      if (p.fds[i] == null) {
        continue;
      }
      if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
        p.cloexec[i] = true;
      } else {
        closeFd(p, i, ev);
      }
    }
  }

  private void dup(Proc p, int oldFd, int newFd, boolean cloexec, AuditEvent ev) {
    if (newFd < 0 || oldFd == newFd) {
      return;
    }
    OpenFile of = p.get(oldFd);
    // dup2/dup3 close whatever newfd was, silently and atomically
    closeFd(p, newFd, ev);
    if (of != null && p.put(newFd, of, cloexec)) {
      of.refs++;
    }
  }

  private void registerEndpoints(Proc p, AuditEvent ev) {
    OpenFile[] fds = p.fds;
    for (int fd = 0; fd < fds.length; fd++) {
      OpenFile of = fds[fd];
      if (of == null || of.channel == null) {
        continue;
      }
      Channel ch = of.channel;
      for (ProcessRef[] pair : ch.register(of.end, p.ref)) {
        emit(ev, new Ipc(ch.kind, ch.id, pair[0], pair[1]));
      }
    }
  }

  private void pipe(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    AuditRecord fp = ev.first(RecordTypes.FD_PAIR);
    if (fp == null) {
      return;
    }
    int fd0 = (int) fp.dec(FD0, -1);
    int fd1 = (int) fp.dec(FD1, -1);
    if (fd0 < 0 || fd1 < 0) {
      return;
    }
    boolean cloexec =
        (sys == Sys.PIPE2 && (sc.hex(A1, 0) & O_CLOEXEC) != 0)
            || (sys == Sys.SOCKETPAIR && (sc.hex(A1, 0) & O_CLOEXEC) != 0);
    String kind = sys == Sys.SOCKETPAIR ? "socketpair" : "pipe";
    Channel ch = new Channel(kind, p.pid + ":" + ev.serial() + ":" + fd0 + "-" + fd1);
    int k = sys == Sys.SOCKETPAIR ? OpenFile.SOCKETPAIR : OpenFile.PIPE;
    OpenFile r = new OpenFile(k);
    r.channel = ch;
    r.end = 0;
    OpenFile w = new OpenFile(k);
    w.channel = ch;
    w.end = 1;
    install(p, fd0, r, cloexec, ev);
    install(p, fd1, w, cloexec, ev);
  }

  private void install(Proc p, int fd, OpenFile of, boolean cloexec, AuditEvent ev) {
    // a descriptor still in our table was closed without our seeing it (unaudited close)
    closeFd(p, fd, ev);
    if (p.put(fd, of, cloexec)) {
      of.refs = 1;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // sockets

  private void socket(Proc p, AuditRecord sc, int fd, AuditEvent ev) {
    if (fd < 0) {
      return;
    }
    OpenFile s = new OpenFile(OpenFile.SOCKET);
    long domain = sc.hex(A0, -1);
    s.family =
        domain == 1
            ? "unix"
            : domain == 2 ? "inet" : domain == 10 ? "inet6" : domain == 16 ? "netlink" : "other";
    install(p, fd, s, (sc.hex(A1, 0) & O_CLOEXEC) != 0, ev);
  }

  private void socketOp(Proc p, AuditEvent ev, AuditRecord sc, Sys sys, long exit) {
    AuditRecord sa = ev.first(RecordTypes.SOCKADDR);
    int arch = (int) sc.hex(ARCH, 0);
    Sockaddr addr =
        sa == null ? null : Sockaddr.decode(sa.hexBytes(SADDR), (arch & Sys.ARCH_LE) != 0);
    int fd = (int) sc.hex(A0, -1);
    OpenFile known = p.get(fd);
    switch (sys) {
      case BIND:
        if (known != null && known.kind == OpenFile.SOCKET && addr != null) {
          known.family = addr.family();
          known.address = addr.address();
          known.port = addr.port();
          known.unixPath = addr.path();
        }
        emitSocket(p, ev, "bind", fd, addr, known, exit);
        break;
      case CONNECT:
        emitSocket(p, ev, "connect", fd, addr, known, exit);
        break;
      case LISTEN:
        emitSocket(p, ev, "listen", fd, null, known, exit);
        break;
      default: // accept, accept4
        int newFd = (int) exit;
        OpenFile conn = new OpenFile(OpenFile.SOCKET);
        conn.family = addr != null ? addr.family() : known != null ? known.family : null;
        if (addr != null) {
          conn.address = addr.address();
          conn.port = addr.port();
          conn.unixPath = addr.path();
        }
        install(p, newFd, conn, sys == Sys.ACCEPT4 && (sc.hex(A3, 0) & O_CLOEXEC) != 0, ev);
        emitSocket(p, ev, "accept", newFd, addr, known, exit);
        break;
    }
  }

  private void emitSocket(
      Proc p, AuditEvent ev, String op, int fd, Sockaddr addr, OpenFile known, long exit) {
    String family = addr != null ? addr.family() : known != null ? known.family : null;
    String address = addr != null ? addr.address() : known != null ? known.address : null;
    Integer port = addr != null ? addr.port() : known != null ? known.port : null;
    String path = addr != null ? addr.path() : known != null ? known.unixPath : null;
    emit(
        ev,
        new SocketActivity(
            p.ref,
            op,
            fd >= 0 ? fd : null,
            family,
            address,
            port,
            path,
            exit == Long.MIN_VALUE ? null : exit));
  }

  // ---------------------------------------------------------------------------------------------
  // files

  private void open(Proc p, AuditEvent ev, AuditRecord sc, Sys sys, long exit) {
    int fd = (int) exit;
    if (exit < 0) {
      return;
    }
    long flags;
    switch (sys) {
      case OPEN:
        flags = sc.hex(A1, -1);
        break;
      case OPENAT:
        flags = sc.hex(A2, -1);
        break;
      case CREAT:
        flags = 0x241; // O_CREAT | O_WRONLY | O_TRUNC
        break;
      default: // openat2: flags only in the OPENAT2 record, octal
        AuditRecord o2 = ev.first(RecordTypes.OPENAT2);
        flags = o2 == null ? -1 : o2.oct(OFLAG, -1);
        break;
    }
    int dirfd = sys == Sys.OPENAT || sys == Sys.OPENAT2 ? (int) sc.hex(A0, AT_FDCWD) : AT_FDCWD;
    AuditRecord item = null;
    AuditRecord create = null;
    for (AuditRecord r : ev.records()) {
      if (r.type() != RecordTypes.PATH) {
        continue;
      }
      int nt = nameType(r);
      if (nt == NT_CREATE) {
        create = r;
      } else if (nt != NT_PARENT) {
        item = r;
      }
    }
    if (create != null) {
      item = create;
    }
    if (item == null) {
      return;
    }
    String path = resolve(p, dirfd, item.encoded(NAME));
    if (path == null) {
      unresolvedPaths++;
      return;
    }
    boolean known = flags >= 0;
    long acc = flags & O_ACCMODE;
    boolean opath = known && (flags & O_PATH) != 0;
    boolean read = known && !opath && (acc == 0 || acc == 2);
    boolean write = known && !opath && (acc == 1 || acc == 2);
    boolean truncate = write && (flags & O_TRUNC) != 0;
    String type = objectType(item);
    OpenFile of =
        new OpenFile(
            "dir".equals(type) || (known && (flags & O_DIRECTORY) != 0)
                ? OpenFile.DIR
                : OpenFile.FILE);
    of.path = path;
    of.inode = inode(item);
    of.device = item.raw(DEV);
    of.objectType = type;
    of.read = read;
    of.write = write;
    install(p, fd, of, known && (flags & O_CLOEXEC) != 0, ev);
    emit(
        ev,
        new FileAccess(
            p.ref,
            FileAccess.Op.OPEN,
            path,
            of.inode,
            of.device,
            fd,
            known && sys != Sys.CREAT ? "0x" + Long.toHexString(flags) : null,
            known ? read : null,
            known ? write : null,
            create != null,
            known ? truncate : null,
            null,
            null,
            type));
  }

  private void rename(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    AuditRecord created = null;
    AuditRecord deleted = null;
    for (AuditRecord r : ev.records()) {
      if (r.type() == RecordTypes.PATH && nameType(r) == NT_CREATE) {
        created = r;
      }
    }
    for (AuditRecord r : ev.records()) {
      if (r.type() != RecordTypes.PATH || nameType(r) != NT_DELETE) {
        continue;
      }
      // an overwritten target also shows up as DELETE, under the new name
      if (deleted == null || !sameNameAsAnyCreate(ev, r)) {
        deleted = r;
        if (!sameNameAsAnyCreate(ev, r)) {
          break;
        }
      }
    }
    if (deleted == null || created == null) {
      return;
    }
    int oldDir = sys == Sys.RENAME ? AT_FDCWD : (int) sc.hex(A0, AT_FDCWD);
    int newDir = sys == Sys.RENAME ? AT_FDCWD : (int) sc.hex(A2, AT_FDCWD);
    String from = resolve(p, oldDir, deleted.encoded(NAME));
    String to = resolve(p, newDir, created.encoded(NAME));
    if (from == null || to == null) {
      unresolvedPaths++;
      return;
    }
    emit(
        ev,
        new FileAccess(
            p.ref,
            FileAccess.Op.RENAME,
            from,
            inode(deleted),
            deleted.raw(DEV),
            null,
            null,
            null,
            null,
            null,
            null,
            to,
            inode(created),
            objectType(deleted)));
  }

  private boolean sameNameAsAnyCreate(AuditEvent ev, AuditRecord del) {
    for (AuditRecord r : ev.records()) {
      if (r.type() == RecordTypes.PATH && nameType(r) == NT_CREATE && sameName(r, del)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameName(AuditRecord a, AuditRecord b) {
    String x = a.encoded(NAME);
    return x != null && x.equals(b.encoded(NAME));
  }

  private void unlink(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    AuditRecord del = firstOfType(ev, NT_DELETE);
    if (del == null) {
      return;
    }
    int dirfd = sys == Sys.UNLINKAT ? (int) sc.hex(A0, AT_FDCWD) : AT_FDCWD;
    String path = resolve(p, dirfd, del.encoded(NAME));
    if (path == null) {
      unresolvedPaths++;
      return;
    }
    boolean dir = sys == Sys.RMDIR || (sys == Sys.UNLINKAT && (sc.hex(A2, 0) & AT_REMOVEDIR) != 0);
    emit(
        ev,
        new FileAccess(
            p.ref,
            dir ? FileAccess.Op.RMDIR : FileAccess.Op.UNLINK,
            path,
            inode(del),
            del.raw(DEV),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            objectType(del)));
  }

  private void link(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    AuditRecord created = firstOfType(ev, NT_CREATE);
    AuditRecord source = firstOfType(ev, NT_NORMAL);
    if (created == null || source == null) {
      return;
    }
    int oldDir = sys == Sys.LINKAT ? (int) sc.hex(A0, AT_FDCWD) : AT_FDCWD;
    int newDir = sys == Sys.LINKAT ? (int) sc.hex(A2, AT_FDCWD) : AT_FDCWD;
    String from = resolve(p, oldDir, source.encoded(NAME));
    String to = resolve(p, newDir, created.encoded(NAME));
    if (from == null || to == null) {
      unresolvedPaths++;
      return;
    }
    emit(
        ev,
        new FileAccess(
            p.ref,
            FileAccess.Op.LINK,
            from,
            inode(source),
            source.raw(DEV),
            null,
            null,
            null,
            null,
            null,
            null,
            to,
            inode(created),
            objectType(source)));
  }

  private void symlink(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    AuditRecord created = firstOfType(ev, NT_CREATE);
    if (created == null) {
      return;
    }
    int newDir = sys == Sys.SYMLINKAT ? (int) sc.hex(A1, AT_FDCWD) : AT_FDCWD;
    String link = resolve(p, newDir, created.encoded(NAME));
    if (link == null) {
      unresolvedPaths++;
      return;
    }
    // the kernel records the link's target text as an item of type UNKNOWN; it is relative to the
    // link's directory, not to the cwd
    AuditRecord targetItem = firstOfType(ev, NT_UNKNOWN);
    String target = null;
    if (targetItem != null) {
      String text = targetItem.encoded(NAME);
      int slash = link.lastIndexOf('/');
      target = PathNames.resolve(slash <= 0 ? "/" : link.substring(0, slash), text);
    }
    emit(
        ev,
        new FileAccess(
            p.ref,
            FileAccess.Op.SYMLINK,
            target != null ? target : link,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            link,
            inode(created),
            "symlink"));
  }

  private void truncate(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    String path;
    Long inode;
    String dev;
    String type;
    if (sys == Sys.FTRUNCATE) {
      OpenFile of = p.get((int) sc.hex(A0, -1));
      if (of == null || !of.hasPath()) {
        return;
      }
      path = of.path;
      inode = of.inode;
      dev = of.device;
      type = of.objectType;
    } else {
      AuditRecord item = firstOfType(ev, NT_NORMAL);
      if (item == null) {
        return;
      }
      path = resolve(p, AT_FDCWD, item.encoded(NAME));
      if (path == null) {
        unresolvedPaths++;
        return;
      }
      inode = inode(item);
      dev = item.raw(DEV);
      type = objectType(item);
    }
    emit(
        ev,
        new FileAccess(
            p.ref,
            FileAccess.Op.TRUNCATE,
            path,
            inode,
            dev,
            null,
            null,
            null,
            true,
            null,
            true,
            null,
            null,
            type));
  }

  private void mkdir(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    AuditRecord created = firstOfType(ev, NT_CREATE);
    if (created == null) {
      return;
    }
    int dirfd = sys == Sys.MKDIRAT ? (int) sc.hex(A0, AT_FDCWD) : AT_FDCWD;
    String path = resolve(p, dirfd, created.encoded(NAME));
    if (path == null) {
      unresolvedPaths++;
      return;
    }
    emit(
        ev,
        new FileAccess(
            p.ref,
            FileAccess.Op.MKDIR,
            path,
            inode(created),
            created.raw(DEV),
            null,
            null,
            null,
            null,
            true,
            null,
            null,
            null,
            "dir"));
  }

  private void chdir(Proc p, AuditEvent ev, AuditRecord sc, Sys sys) {
    if (sys == Sys.FCHDIR) {
      OpenFile of = p.get((int) sc.hex(A0, -1));
      if (of != null && of.hasPath()) {
        p.cwd = of.path;
        p.cwdRaw = null;
      }
      return;
    }
    AuditRecord item = firstOfType(ev, NT_NORMAL);
    if (item == null) {
      return;
    }
    String dir = resolve(p, AT_FDCWD, item.encoded(NAME));
    if (dir != null) {
      p.cwd = dir;
      p.cwdRaw = null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private void updateCwd(Proc p, AuditEvent ev) {
    AuditRecord cwd = ev.first(RecordTypes.CWD);
    if (cwd == null) {
      return;
    }
    int f = cwd.find(CWD);
    if (f < 0) {
      return;
    }
    if (p.cwdRaw != null && cwdEquals(cwd, f, p.cwdRaw)) {
      return;
    }
    String s = cwd.encodedAt(f);
    if (s != null && !s.isEmpty() && s.charAt(0) == '/') {
      p.cwd = PathNames.normalize(s);
      p.cwdRaw = rawValue(cwd, f);
    }
  }

  private static boolean cwdEquals(AuditRecord r, int f, byte[] raw) {
    return r.valueEquals(f, raw);
  }

  private static byte[] rawValue(AuditRecord r, int f) {
    return r.valueBytes(f);
  }

  private String resolve(Proc p, int dirfd, String name) {
    if (name == null) {
      return null;
    }
    if (!name.isEmpty() && name.charAt(0) == '/') {
      return PathNames.normalize(name);
    }
    String base;
    if (dirfd == AT_FDCWD) {
      base = p.cwd;
    } else {
      OpenFile of = p.get(dirfd);
      base = of != null && of.hasPath() ? of.path : null;
    }
    return PathNames.resolve(base, name);
  }

  private static int nameType(AuditRecord r) {
    String nt = r.raw(NAMETYPE);
    if (nt == null) {
      nt = r.raw(OBJTYPE); // older kernels
    }
    if (nt == null) {
      return NT_OTHER;
    }
    switch (nt) {
      case "NORMAL":
        return NT_NORMAL;
      case "PARENT":
        return NT_PARENT;
      case "CREATE":
        return NT_CREATE;
      case "DELETE":
        return NT_DELETE;
      case "UNKNOWN":
        return NT_UNKNOWN;
      default:
        return NT_OTHER;
    }
  }

  private static AuditRecord firstOfType(AuditEvent ev, int nameType) {
    for (AuditRecord r : ev.records()) {
      if (r.type() == RecordTypes.PATH && nameType(r) == nameType) {
        return r;
      }
    }
    return null;
  }

  /**
   * The kernel logs inodes as unsigned 64-bit decimals; like the Scale path, the event carries the
   * same 64 bits in a signed long (values of 2^63 and more are negative).
   */
  private static Long inode(AuditRecord item) {
    return item.unsignedDec(INODE);
  }

  private static String objectType(AuditRecord item) {
    long mode = item.oct(MODE, -1);
    if (mode < 0) {
      return null;
    }
    switch ((int) (mode & 0170000)) {
      case 0100000:
        return "file";
      case 0040000:
        return "dir";
      case 0120000:
        return "symlink";
      case 0010000:
        return "fifo";
      case 0140000:
        return "socket";
      default:
        return "other";
    }
  }

  private Credentials credentials(Proc p, AuditRecord sc) {
    long uid = sc.dec(UID, -1);
    long gid = sc.dec(GID, -1);
    long euid = sc.dec(EUID, -1);
    long egid = sc.dec(EGID, -1);
    long auid = sc.dec(AUID, -1);
    long[] ids = p.credIds;
    if (p.creds != null
        && ids[0] == uid
        && ids[1] == gid
        && ids[2] == euid
        && ids[3] == egid
        && ids[4] == auid) {
      return p.creds;
    }
    ids[0] = uid;
    ids[1] = gid;
    ids[2] = euid;
    ids[3] = egid;
    ids[4] = auid;
    boolean auidSet = auid >= 0 && auid != UNSET_ID;
    p.creds =
        new Credentials(
            uid < 0 ? null : (int) uid,
            gid < 0 ? null : (int) gid,
            euid < 0 ? null : (int) euid,
            egid < 0 ? null : (int) egid,
            auidSet ? (int) auid : null,
            uid < 0 ? null : names.user((int) uid, sc, "UID"),
            gid < 0 ? null : names.group((int) gid, sc, "GID"),
            auidSet ? names.user((int) auid, sc, "AUID") : null);
    return p.creds;
  }

  private void emitRaw(AuditEvent ev, AuditRecord sc, Sys sys, Proc p, long exit) {
    List<RawSyscall.Record> recs = new ArrayList<>(ev.records().size());
    for (AuditRecord r : ev.records()) {
      recs.add(new RawSyscall.Record(r.typeName(), r.fieldMap()));
    }
    String name = sys != Sys.OTHER ? sys.wireName() : String.valueOf(sc.dec(SYSCALL, -1));
    emit(
        ev,
        new RawSyscall(
            ev.serial(),
            name,
            p == null ? null : p.ref,
            exit == Long.MIN_VALUE ? null : exit,
            recs));
  }

  private void emit(AuditEvent ev, EventData data) {
    out.emit(ev, data);
  }
}
