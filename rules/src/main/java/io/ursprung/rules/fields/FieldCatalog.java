package io.ursprung.rules.fields;

import io.ursprung.events.EventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The field names a rule may use, per event kind, with their meaning.
 *
 * <p>This is the single list behind three things that must agree: the parser's check that a field
 * name exists (a misspelt field would otherwise silently never match), {@link
 * EventFields#of(io.ursprung.events.ProvEvent)}, and the table in {@code docs/rules.md}; tests
 * compare all three. Two families are open-ended: job attributes ({@code attr.<name>}) and the
 * fields of raw audit records ({@code rec.<RECORDTYPE>.<field>}).
 */
public final class FieldCatalog {

  /** Prefix of job attributes: {@code attr.queue} is the job attribute {@code queue}. */
  public static final String JOB_ATTRIBUTE_PREFIX = "attr.";

  /**
   * Prefix of raw audit record fields: {@code rec.SYSCALL.a0} is field {@code a0} of the first
   * {@code SYSCALL} record of a {@code syscall} event.
   */
  public static final String AUDIT_RECORD_PREFIX = "rec.";

  /** One field: its name and what it holds. */
  public record Field(String name, String meaning) {}

  private static final List<Field> COMMON =
      List.of(
          new Field("type", "the event type, such as `file.access`"),
          new Field("id", "the event id"),
          new Field("host", "the host the event happened on"),
          new Field("time", "when it happened, ISO-8601 UTC as on the wire"),
          new Field("producer", "the producing program's name"));

  private static final List<Field> PROCESS =
      List.of(
          new Field("pid", "the process's pid"),
          new Field("processStart", "the process's start time, ISO-8601 UTC"));

  private static final List<Field> CREDENTIALS =
      List.of(
          new Field("uid", "real user id"),
          new Field("gid", "real group id"),
          new Field("euid", "effective user id"),
          new Field("egid", "effective group id"),
          new Field("auid", "login user id (-1 or 4294967295 when unset)"),
          new Field("user", "user name of uid"),
          new Field("group", "group name of gid"),
          new Field("loginUser", "user name of auid"));

  private static final Map<EventType, List<Field>> BY_TYPE = new EnumMap<>(EventType.class);

  static {
    BY_TYPE.put(
        EventType.PROCESS_START,
        join(
            PROCESS,
            List.of(
                new Field("parentPid", "the parent's pid from its process reference"),
                new Field("ppid", "parent pid as reported at start"),
                new Field("pgid", "process group"),
                new Field("sid", "session"),
                new Field("cwd", "working directory, inherited from the parent"),
                new Field("exe", "executable, inherited from the parent"),
                new Field("argv", "command line, inherited from the parent, joined by spaces"),
                new Field("how", "`fork`, `vfork`, `clone`, `clone3` or `first-seen`")),
            CREDENTIALS));
    BY_TYPE.put(
        EventType.PROCESS_EXEC,
        join(
            PROCESS,
            List.of(
                new Field("exe", "absolute path of the executable"),
                new Field("exeInode", "the executable's inode"),
                new Field("exeDevice", "the executable's device, `major:minor`"),
                new Field("argv", "the argument vector joined by single spaces"),
                new Field("argc", "the number of arguments"),
                new Field("cwd", "working directory at exec"),
                new Field("syscall", "`execve` or `execveat`")),
            CREDENTIALS));
    BY_TYPE.put(
        EventType.PROCESS_EXIT,
        join(
            PROCESS,
            List.of(
                new Field("exitCode", "the exit status"),
                new Field("signal", "the terminating signal"),
                new Field(
                    "how",
                    "`exit_group`, `exit`, `killed` (SIGKILL seen sent), `pid-reused` or"
                        + " `end-of-input` (inferred)"))));
    BY_TYPE.put(
        EventType.PROCESS_GROUP,
        join(
            PROCESS,
            List.of(
                new Field("pgid", "the new process group"),
                new Field("sid", "the new session"),
                new Field("op", "`setpgid` or `setsid`"))));
    BY_TYPE.put(
        EventType.FILE_ACCESS,
        join(
            PROCESS,
            List.of(
                new Field(
                    "op",
                    "`open`, `close`, `rename`, `unlink`, `link`, `symlink`, `truncate`, "
                        + "`mkdir` or `rmdir` (lower case)"),
                new Field("path", "the object's absolute path (for rename and link: the source)"),
                new Field("inode", "the object's inode"),
                new Field("device", "the object's device"),
                new Field("fd", "the descriptor"),
                new Field("flags", "raw open flags, hex"),
                new Field("read", "`true` when opened for reading"),
                new Field(
                    "write",
                    "`true` when opened for writing; on close: the descriptor was writable"),
                new Field("create", "`true` when the open created the file"),
                new Field("truncate", "`true` when the open truncated the file"),
                new Field("targetPath", "rename, link, symlink: the new name"),
                new Field("targetInode", "rename, link, symlink: the target's inode"),
                new Field("objectType", "`file`, `dir`, `symlink`, `fifo`, `socket` or `other`"))));
    BY_TYPE.put(
        EventType.IPC,
        List.of(
            new Field("kind", "`pipe`, `socketpair` or `signal` (channel: the signal's name)"),
            new Field("channel", "the channel id"),
            new Field("writerPid", "pid of the process holding the write end"),
            new Field("readerPid", "pid of the process holding the read end")));
    BY_TYPE.put(
        EventType.SOCKET,
        join(
            PROCESS,
            List.of(
                new Field("op", "`bind`, `connect`, `accept` or `listen`"),
                new Field("fd", "the socket's descriptor"),
                new Field("family", "`inet`, `inet6`, `unix`, `netlink` or `other`"),
                new Field("address", "inet: the address bound, connected to, or accepted from"),
                new Field("port", "inet: the port"),
                new Field("path", "unix: the socket path"),
                new Field("result", "the syscall's return value"))));
    BY_TYPE.put(
        EventType.JOB,
        List.of(
            new Field("jobId", "the job's global id"),
            new Field("stage", "`initialized`, `queued`, `started`, `cancelled` or `finished`"),
            new Field("user", "the job owner"),
            new Field(JOB_ATTRIBUTE_PREFIX + "<name>", "the job attribute `<name>`")));
    BY_TYPE.put(
        EventType.HOST_STATUS,
        List.of(
            new Field("kernelAvailable", "whether the producer could read the kernel audit status"),
            new Field("kernelLost", "records the kernel dropped since boot (absent if unknown)"),
            new Field("kernelBacklog", "records waiting in the kernel queue (absent if unknown)"),
            new Field("eventsPublished", "events the producer produced since it started")));
    BY_TYPE.put(
        EventType.SYSCALL,
        join(
            PROCESS,
            List.of(
                new Field("serial", "the audit serial"),
                new Field("syscall", "the syscall name"),
                new Field("exit", "the return value"),
                new Field(
                    AUDIT_RECORD_PREFIX + "<TYPE>.<field>",
                    "field `<field>` of the first audit record of type `<TYPE>`"))));
  }

  private static final Set<String> FIXED_NAMES;

  static {
    Set<String> names = new TreeSet<>();
    COMMON.forEach(f -> names.add(f.name()));
    BY_TYPE
        .values()
        .forEach(l -> l.stream().filter(f -> !isPattern(f)).forEach(f -> names.add(f.name())));
    FIXED_NAMES = Collections.unmodifiableSet(names);
  }

  /** Field names of the original Ursprung and what to use instead, for migration hints. */
  private static final Map<String, String> ORIGINAL_NAMES =
      Map.ofEntries(
          Map.entry("event", "the original's 'event' is 'op' (with lower-case values: op = close)"),
          Map.entry(
              "bytes_written",
              "the original's 'bytes_written' has no equivalent; a write-close is op = close &&"
                  + " write = true"),
          Map.entry(
              "bytes_read",
              "the original's 'bytes_read' has no equivalent; use op = open && read = true"),
          Map.entry("dst_path", "the original's 'dst_path' is 'targetPath'"),
          Map.entry("event_time", "the original's 'event_time' is 'time'"),
          Map.entry("syscall_name", "the original's 'syscall_name' is 'syscall'"),
          Map.entry(
              "data", "the original's 'data' (the command line of execve) is 'argv' or 'exe'"),
          Map.entry("exec_cwd", "the original's 'exec_cwd' is 'cwd'"),
          Map.entry("node_name", "the original's 'node_name' is 'host'"),
          Map.entry("cluster_name", "the original's 'cluster_name' is 'host'"),
          Map.entry("rc", "the original's 'rc' is 'exit' (syscall events)"));

  private FieldCatalog() {}

  /** How to write a field of the original Ursprung in this language, if {@code name} is one. */
  public static Optional<String> originalName(String name) {
    return Optional.ofNullable(ORIGINAL_NAMES.get(name));
  }

  /** Fields every event has. */
  public static List<Field> common() {
    return COMMON;
  }

  /**
   * The fields of one event kind beyond {@link #common()}; a name containing {@code <} stands for a
   * family ({@code attr.<name>}).
   */
  public static List<Field> fieldsOf(EventType type) {
    return BY_TYPE.get(type);
  }

  /** Every fixed field name of every kind, sorted. */
  public static Set<String> fixedNames() {
    return FIXED_NAMES;
  }

  /** Whether a rule may use this name: a fixed name or a member of a family. */
  public static boolean isKnown(String name) {
    if (FIXED_NAMES.contains(name)) {
      return true;
    }
    if (name.startsWith(JOB_ATTRIBUTE_PREFIX)) {
      return name.length() > JOB_ATTRIBUTE_PREFIX.length();
    }
    if (name.startsWith(AUDIT_RECORD_PREFIX)) {
      String rest = name.substring(AUDIT_RECORD_PREFIX.length());
      int dot = rest.indexOf('.');
      return dot > 0 && dot < rest.length() - 1;
    }
    return false;
  }

  /** The known name closest to a misspelt one, for "did you mean" hints. */
  public static Optional<String> closest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : FIXED_NAMES) {
      int d =
          distance(
              name.toLowerCase(java.util.Locale.ROOT),
              candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    // Beyond a third of the name the suggestion is more confusing than helpful.
    return bestDistance <= Math.max(1, name.length() / 3)
        ? Optional.ofNullable(best)
        : Optional.empty();
  }

  static boolean isPattern(Field f) {
    return f.name().indexOf('<') >= 0;
  }

  @SafeVarargs
  private static List<Field> join(List<Field>... parts) {
    Map<String, Field> out = new LinkedHashMap<>();
    for (List<Field> part : parts) {
      part.forEach(f -> out.putIfAbsent(f.name(), f));
    }
    return List.copyOf(new ArrayList<>(out.values()));
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
