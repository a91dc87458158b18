package io.ursprung.plugin.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the processes already running from a {@link ProcSource}, so that the model knows them (and
 * the files they are writing) before the first audit record: otherwise such a process is only
 * first-seen at its first audited syscall, and the close of a file it opened earlier reports
 * nothing. A process that ends while it is read, or that cannot be read, is skipped and counted; so
 * is a descriptor.
 */
public final class ProcScan {
  private ProcScan() {}

  // fdinfo flags are octal, in the generic (x86, arm64, ppc64le, s390x) numbering
  private static final long O_ACCMODE = 03;
  private static final long O_RDONLY = 0;
  private static final long O_WRONLY = 01;
  private static final long O_RDWR = 02;
  private static final long O_CLOEXEC = 02000000;
  private static final long O_PATH = 010000000;
  private static final long PF_KTHREAD = 0x00200000;
  private static final String DELETED = " (deleted)";

  /**
   * A snapshot.
   *
   * @param processes the processes to seed, every parent before its children
   * @param scannedAtMs wall-clock time at which reading began
   * @param skipped processes that ended while being read or could not be read
   * @param unreadableFds descriptors (or descriptor tables) that could not be read
   */
  public record Result(
      List<RunningProcess> processes, long scannedAtMs, int skipped, int unreadableFds) {
    public Result {
      processes = List.copyOf(processes);
    }

    /** Open files over all processes. */
    public int files() {
      return processes.stream().mapToInt(p -> p.files().size()).sum();
    }
  }

  /**
   * Reads every process whose real uid is at least minUid (0: all), except kernel threads and
   * zombies.
   *
   * @throws IOException when the source itself cannot be read (no /proc, no boot time)
   */
  public static Result scan(ProcSource src, long minUid) throws IOException {
    long at = src.now();
    long btimeMs = src.bootTimeSeconds() * 1000;
    long ticks = src.clockTicks();
    List<Integer> pids = new ArrayList<>(src.pids());
    Collections.sort(pids);
    Map<Integer, RunningProcess> found = new HashMap<>();
    int[] counters = new int[2]; // skipped processes, unreadable descriptors
    for (int pid : pids) {
      try {
        RunningProcess p = read(src, pid, minUid, btimeMs, ticks, counters);
        if (p != null) {
          found.put(pid, p);
        }
      } catch (IOException | RuntimeException e) {
        // gone (NoSuchFileException), not ours to read, or half-written by a racing exit
        counters[0]++;
      }
    }
    List<RunningProcess> ordered = new ArrayList<>(found.size());
    Set<Integer> placed = new HashSet<>();
    for (int pid : pids) {
      place(pid, found, placed, ordered);
    }
    return new Result(ordered, at, counters[0], counters[1]);
  }

  /** Appends pid after its seeded ancestors. */
  private static void place(
      int pid, Map<Integer, RunningProcess> found, Set<Integer> placed, List<RunningProcess> out) {
    // iterative, and guarded by placed, so a parent loop from racing reads cannot recurse forever
    List<RunningProcess> chain = new ArrayList<>();
    RunningProcess p = found.get(pid);
    while (p != null && placed.add(p.pid())) {
      chain.add(p);
      p = found.get(p.ppid());
    }
    for (int i = chain.size() - 1; i >= 0; i--) {
      out.add(chain.get(i));
    }
  }

  private static RunningProcess read(
      ProcSource src, int pid, long minUid, long btimeMs, long ticks, int[] counters)
      throws IOException {
    String[] f = statFields(src, pid);
    char state = f[0].isEmpty() ? '?' : f[0].charAt(0);
    if (state == 'Z' || state == 'X') {
      return null; // already ended: nothing to seed, and its exit is in the stream or past
    }
    if ((Long.parseLong(f[6]) & PF_KTHREAD) != 0) {
      return null; // kernel threads make no audited syscalls
    }
    String status = new String(src.read(pid, "status"), StandardCharsets.ISO_8859_1);
    long[] uid = ids(status, "Uid:");
    if (uid[0] < minUid) {
      return null;
    }
    long[] gid = ids(status, "Gid:");
    int ppid = Integer.parseInt(f[1]);
    int pgid = Integer.parseInt(f[2]);
    int sid = Integer.parseInt(f[3]);
    long startMs = startMs(f, btimeMs, ticks);
    Long auid = null;
    try {
      auid =
          Long.parseLong(new String(src.read(pid, "loginuid"), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      // no audit support in the kernel: leave it unknown
    }
    String exe = link(src, pid, "exe");
    if (exe != null && exe.endsWith(DELETED)) {
      // the program was replaced since it started (an upgrade); it ran under this name
      exe = exe.substring(0, exe.length() - DELETED.length());
    }
    String cwd = link(src, pid, "cwd");
    List<String> argv = argv(src, pid);
    List<RunningProcess.OpenFd> files = new ArrayList<>();
    List<Integer> fds;
    try {
      fds = src.fds(pid);
    } catch (IOException e) {
      counters[1]++;
      fds = List.of();
    }
    Collections.sort(fds);
    for (int fd : fds) {
      try {
        RunningProcess.OpenFd of = file(src, pid, fd);
        if (of != null) {
          files.add(of);
        }
      } catch (IOException | RuntimeException e) {
        counters[1]++; // closed meanwhile, or unreadable
      }
    }
    return new RunningProcess(
        pid,
        ppid,
        pgid,
        sid,
        startMs,
        uid[0],
        gid[0],
        uid[1],
        gid[1],
        auid,
        exe,
        cwd != null && cwd.startsWith("/") && !cwd.endsWith(DELETED) ? cwd : null,
        argv,
        files,
        // after its descriptors were read: records older than this (queued while scanning) may
        // already be reflected in what was read, e.g. its own clone or an open seen as open
        src.now());
  }

  /**
   * The start time of pid as a scan would give it now, or throws when pid is not (or no longer)
   * there. A saved identity is tied to this value, so that a later scan can tell whether the pid
   * still names the same process: it must be computed exactly as {@link #scan} does.
   */
  public static long startMs(ProcSource src, int pid) throws IOException {
    return startMs(statFields(src, pid), src.bootTimeSeconds() * 1000, src.clockTicks());
  }

  /** Boot time + the start ticks of stat (field 22). */
  private static long startMs(String[] statFields, long btimeMs, long ticks) {
    return btimeMs + Long.parseLong(statFields[19]) * 1000 / ticks;
  }

  /** The fields of a process's stat after comm: element 0 is field 3 (state), n is field n + 3. */
  private static String[] statFields(ProcSource src, int pid) throws IOException {
    String stat = new String(src.read(pid, "stat"), StandardCharsets.ISO_8859_1);
    // comm (in parentheses) may itself hold spaces and parentheses: fields start after the last )
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IOException("odd stat of " + pid);
    }
    String[] f = stat.substring(close + 1).trim().split(" +");
    if (f.length < 20) {
      throw new IOException("short stat of " + pid);
    }
    return f;
  }

  private static RunningProcess.OpenFd file(ProcSource src, int pid, int fd) throws IOException {
    String path = src.readLink(pid, "fd/" + fd);
    if (!path.startsWith("/")) {
      return null; // pipe:[..], socket:[..], anon_inode:..: not files
    }
    if (path.endsWith(DELETED)) {
      // Unlinked while open: whatever is written to it is gone with its last close, and a close
      // reported under the old name would make a version of whatever file has that name now.
      return null;
    }
    ProcSource.Target t = src.target(pid, fd);
    if (t.links() == 0 || !(t.regular() || t.directory())) {
      return null; // devices, fifos, sockets with a name: their closes are no file versions
    }
    long flags = -1;
    String info = new String(src.read(pid, "fdinfo/" + fd), StandardCharsets.ISO_8859_1);
    for (String line : info.split("\n")) {
      if (line.startsWith("flags:")) {
        flags = Long.parseLong(line.substring(6).trim(), 8);
      }
    }
    if (flags < 0) {
      throw new IOException("no flags in fdinfo " + pid + "/" + fd);
    }
    long acc = flags & O_ACCMODE;
    boolean opath = (flags & O_PATH) != 0;
    return new RunningProcess.OpenFd(
        fd,
        path,
        t.directory(),
        !opath && (acc == O_RDONLY || acc == O_RDWR),
        !opath && (acc == O_WRONLY || acc == O_RDWR),
        (flags & O_CLOEXEC) != 0,
        t.inode(),
        t.device());
  }

  /** Real and effective id from a Uid: or Gid: line of status. */
  private static long[] ids(String status, String key) throws IOException {
    for (String line : status.split("\n")) {
      if (line.startsWith(key)) {
        String[] v = line.substring(key.length()).trim().split("\\s+");
        return new long[] {Long.parseLong(v[0]), Long.parseLong(v[1])};
      }
    }
    throw new IOException("no " + key + " in status");
  }

  private static String link(ProcSource src, int pid, String name) {
    try {
      return src.readLink(pid, name);
    } catch (IOException | RuntimeException e) {
      return null; // another user's process without CAP_SYS_PTRACE, or ended
    }
  }

  private static List<String> argv(ProcSource src, int pid) {
    byte[] b;
    try {
      b = src.read(pid, "cmdline");
    } catch (IOException e) {
      return null;
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == 0) {
        // the kernel ends every argument with NUL, so the last one leaves nothing after it
        if (i < b.length || i > start) {
          out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return out.isEmpty() ? null : out;
  }
}
