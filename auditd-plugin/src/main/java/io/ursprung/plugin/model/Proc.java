package io.ursprung.plugin.model;

import io.ursprung.events.Credentials;
import io.ursprung.events.ProcessRef;
import java.util.Arrays;
import java.util.List;

/** One live process incarnation and what the model knows about it, including its fd table. */
final class Proc {
  /** Descriptors beyond this are not tracked (close_range(3, ~0) must not allocate gigabytes). */
  static final int MAX_FD = 1 << 20;

  final int pid;
  final ProcessRef ref;
  int ppid;
  ProcessRef parent;
  Integer pgid;
  Integer sid;
  String cwd;
  byte[] cwdRaw;
  String exe;
  List<String> argv;
  boolean execed;
  Credentials creds;
  final long[] credIds = new long[5];

  /** Threads besides the main one, as counted from clone records and exits. */
  int threads;

  /**
   * Whether {@link #threads} covers all threads: the process was seen from its clone, or has exec'd
   * since (exec leaves one thread). False for a process first seen mid-life.
   */
  boolean threadsKnown;

  int pendingClone3;

  /**
   * When the /proc snapshot this process was seeded from was taken; {@link Long#MIN_VALUE} for a
   * process known from the audit stream. Records older than the snapshot describe a past the
   * snapshot already shows.
   */
  long snapshotAt = Long.MIN_VALUE;

  OpenFile[] fds = new OpenFile[16];
  boolean[] cloexec = new boolean[16];

  Proc(int pid, ProcessRef ref, int ppid) {
    this.pid = pid;
    this.ref = ref;
    this.ppid = ppid;
  }

  OpenFile get(int fd) {
    return fd >= 0 && fd < fds.length ? fds[fd] : null;
  }

  /** Removes and returns the description at fd. */
  OpenFile remove(int fd) {
    if (fd < 0 || fd >= fds.length) {
      return null;
    }
    OpenFile of = fds[fd];
    fds[fd] = null;
    cloexec[fd] = false;
    return of;
  }

  /** Puts a description at an empty slot fd; false when fd is out of the tracked range. */
  boolean put(int fd, OpenFile of, boolean cloexecFlag) {
    if (fd < 0 || fd >= MAX_FD) {
      return false;
    }
    if (fd >= fds.length) {
      int n = Math.max(fds.length * 2, fd + 1);
      fds = Arrays.copyOf(fds, n);
      cloexec = Arrays.copyOf(cloexec, n);
    }
    fds[fd] = of;
    cloexec[fd] = cloexecFlag;
    return true;
  }

  /** Copies the parent's table at fork; every shared description gains a reference. */
  void inheritFds(Proc parent) {
    fds = parent.fds.clone();
    cloexec = parent.cloexec.clone();
    for (OpenFile of : fds) {
      if (of != null) {
        of.refs++;
      }
    }
  }
}
