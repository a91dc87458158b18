package io.ursprung.db.graph;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a batch knows about one process incarnation ({@code processes}). Several events of a batch
 * (start, exec, group change, exit) fold into one row with {@link #merge}, and the store folds the
 * row into the stored one with the same rules in SQL, so the result does not depend on the order or
 * number of times events are applied:
 *
 * <ul>
 *   <li>start facts (how, parent, ppid) and the job: first non-null value;
 *   <li>program facts (exe, argv, cwd, credentials): those of the latest {@code factsTime};
 *   <li>group facts (pgid, sid): those of the latest {@code groupTime};
 *   <li>exit facts: a recorded exit ({@code exit_group}, {@code exit}, or {@code killed}: a SIGKILL
 *       seen being sent) beats an inferred one ({@code pid-reused}, {@code end-of-input}).
 * </ul>
 */
public final class ProcessRow {
  final String host;
  final int pid;
  final Instant start;
  String startHow;
  Integer parentPid;
  Instant parentStart;
  Integer ppid;
  Integer pgid;
  Integer sid;
  Instant groupTime;
  Integer uid;
  Integer gid;
  Integer euid;
  Integer egid;
  Long auid;
  String user;
  String group;
  String loginUser;
  String cwd;
  String exe;
  List<String> argv;
  Instant factsTime;
  Instant endTime;
  Integer exitCode;
  Integer signal;
  String exitHow;
  String jobId;

  public ProcessRow(String host, int pid, Instant start) {
    this.host = Objects.requireNonNull(host, "host");
    this.pid = pid;
    this.start = Objects.requireNonNull(start, "start");
  }

  /** The row's key. */
  public Key key() {
    return new Key(host, pid, start);
  }

  /** Key of a process row: host, pid, start time. */
  public record Key(String host, int pid, Instant start) {}

  /** Start facts. */
  public ProcessRow started(String how, Integer parentPid, Instant parentStart, Integer ppid) {
    ProcessRow r = new ProcessRow(host, pid, start);
    r.startHow = how;
    r.parentPid = parentPid;
    r.parentStart = parentStart;
    r.ppid = ppid;
    return merge(r);
  }

  /** Program facts as of {@code time}. */
  public ProcessRow program(
      Instant time,
      String exe,
      List<String> argv,
      String cwd,
      Integer uid,
      Integer gid,
      Integer euid,
      Integer egid,
      Long auid,
      String user,
      String group,
      String loginUser) {
    ProcessRow r = new ProcessRow(host, pid, start);
    r.factsTime = Objects.requireNonNull(time, "time");
    r.exe = exe;
    r.argv = argv;
    r.cwd = cwd;
    r.uid = uid;
    r.gid = gid;
    r.euid = euid;
    r.egid = egid;
    r.auid = auid;
    r.user = user;
    r.group = group;
    r.loginUser = loginUser;
    return merge(r);
  }

  /** Group facts as of {@code time}. */
  public ProcessRow group(Instant time, Integer pgid, Integer sid) {
    ProcessRow r = new ProcessRow(host, pid, start);
    r.groupTime = Objects.requireNonNull(time, "time");
    r.pgid = pgid;
    r.sid = sid;
    return merge(r);
  }

  /** Exit facts. */
  public ProcessRow exited(Instant time, Integer exitCode, Integer signal, String how) {
    ProcessRow r = new ProcessRow(host, pid, start);
    r.endTime = time;
    r.exitCode = exitCode;
    r.signal = signal;
    r.exitHow = Objects.requireNonNull(how, "how");
    return merge(r);
  }

  /** Folds {@code o} (same key) into this row; the SQL upsert in {@link GraphStore} mirrors it. */
  public ProcessRow merge(ProcessRow o) {
    if (!key().equals(o.key())) {
      throw new IllegalArgumentException("cannot merge " + o.key() + " into " + key());
    }
    startHow = first(startHow, o.startHow);
    parentPid = first(parentPid, o.parentPid);
    parentStart = first(parentStart, o.parentStart);
    ppid = first(ppid, o.ppid);
    jobId = first(o.jobId, jobId);
    boolean newerFacts =
        o.factsTime != null && (factsTime == null || !o.factsTime.isBefore(factsTime));
    uid = pick(newerFacts, uid, o.uid);
    gid = pick(newerFacts, gid, o.gid);
    euid = pick(newerFacts, euid, o.euid);
    egid = pick(newerFacts, egid, o.egid);
    auid = pick(newerFacts, auid, o.auid);
    user = pick(newerFacts, user, o.user);
    group = pick(newerFacts, group, o.group);
    loginUser = pick(newerFacts, loginUser, o.loginUser);
    cwd = pick(newerFacts, cwd, o.cwd);
    exe = pick(newerFacts, exe, o.exe);
    argv = pick(newerFacts, argv, o.argv);
    factsTime = newerFacts ? o.factsTime : factsTime;
    boolean newerGroup =
        o.groupTime != null && (groupTime == null || !o.groupTime.isBefore(groupTime));
    pgid = pick(newerGroup, pgid, o.pgid);
    sid = pick(newerGroup, sid, o.sid);
    groupTime = newerGroup ? o.groupTime : groupTime;
    if (o.exitHow != null && (exitHow == null || (recorded(o.exitHow) && !recorded(exitHow)))) {
      endTime = o.endTime;
      exitCode = o.exitCode;
      signal = o.signal;
      exitHow = o.exitHow;
    }
    return this;
  }

  /** Whether an exit was recorded (rather than inferred). */
  static boolean recorded(String how) {
    return "exit_group".equals(how) || "exit".equals(how) || "killed".equals(how);
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }

  private static <T> T pick(boolean newer, T mine, T theirs) {
    return newer ? first(theirs, mine) : first(mine, theirs);
  }

  public String host() {
    return host;
  }

  public int pid() {
    return pid;
  }

  public Instant start() {
    return start;
  }

  public List<String> argv() {
    return argv;
  }

  public String exe() {
    return exe;
  }

  public Instant endTime() {
    return endTime;
  }

  public Integer exitCode() {
    return exitCode;
  }

  public Integer pgid() {
    return pgid;
  }

  public Integer parentPid() {
    return parentPid;
  }
}
