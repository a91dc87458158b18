package io.ursprung.plugin.audit;

import io.ursprung.events.EventData;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.sink.EventSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes hand-made audit lines (x86_64, node t1, uid 1001) and replays them through an {@link
 * AuditStreamProcessor} into a list. The time of serial s is 1700000000 s + s ms, so every line of
 * one event carries the same stamp.
 */
public final class AuditFixture {
  public static final Producer PRODUCER = new Producer("ursprung-auditd-plugin", "test");

  public final List<String> lines = new ArrayList<>();
  public final List<ProvEvent> events = new ArrayList<>();
  public final AuditStreamProcessor processor;
  private final String node;

  public AuditFixture() {
    this("t1", false);
  }

  public AuditFixture(String node, boolean raw) {
    this.node = node;
    EventSink sink =
        new EventSink() {
          @Override
          public void accept(ProvEvent event) {
            events.add(event);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    processor =
        new AuditStreamProcessor(
            "fallback", PRODUCER, sink, uid -> uid == 1001 ? "bob" : null, gid -> null, 2000, raw);
  }

  public static String stamp(long serial) {
    long ms = 1_700_000_000_000L + serial;
    return String.format("%d.%03d:%d", ms / 1000, ms % 1000, serial);
  }

  /** Any record line. */
  public AuditFixture rec(String type, long serial, String body) {
    lines.add(
        (node == null ? "" : "node=" + node + " ")
            + "type="
            + type
            + " msg=audit("
            + stamp(serial)
            + "): "
            + body);
    return this;
  }

  /** A SYSCALL record; fields holds success/exit/aN/items. */
  public AuditFixture sys(long serial, int pid, int ppid, int nr, String fields) {
    return rec(
        "SYSCALL",
        serial,
        "arch=c000003e syscall="
            + nr
            + " "
            + fields
            + " ppid="
            + ppid
            + " pid="
            + pid
            + " auid=1001 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001 sgid=1001"
            + " fsgid=1001 tty=pts0 ses=3 comm=\"x\" exe=\"/usr/bin/x\" key=\"k\"");
  }

  public AuditFixture cwd(long serial, String dir) {
    return rec("CWD", serial, "cwd=\"" + dir + "\"");
  }

  public AuditFixture path(long serial, int item, String name, String nametype, long inode) {
    return rec(
        "PATH",
        serial,
        "item="
            + item
            + " name=\""
            + name
            + "\" inode="
            + inode
            + " dev=fe:00 mode=0100644 ouid=1001 ogid=1001 rdev=00:00 nametype="
            + nametype
            + " cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
  }

  public AuditFixture eoe(long serial) {
    return rec("EOE", serial, "");
  }

  /** PROCTITLE + EOE: the usual end of a syscall event in the plugin stream. */
  public AuditFixture end(long serial) {
    rec("PROCTITLE", serial, "proctitle=\"x\"");
    return eoe(serial);
  }

  /** fork (clone without CLONE_THREAD) of child by parent. */
  public AuditFixture fork(long serial, int parent, int grandparent, int child) {
    sys(
        serial,
        parent,
        grandparent,
        56,
        "success=yes exit=" + child + " a0=1200011 a1=0 a2=0 a3=0 items=0");
    return end(serial);
  }

  public AuditFixture exec(long serial, int pid, int ppid, String cwd, String exe, String... argv) {
    sys(serial, pid, ppid, 59, "success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2");
    StringBuilder b = new StringBuilder("argc=" + argv.length);
    for (int i = 0; i < argv.length; i++) {
      b.append(" a").append(i).append("=\"").append(argv[i]).append('"');
    }
    rec("EXECVE", serial, b.toString());
    cwd(serial, cwd);
    path(serial, 0, exe, "NORMAL", 1000 + serial);
    path(serial, 1, "/lib64/ld-linux-x86-64.so.2", "NORMAL", 99);
    return end(serial);
  }

  public AuditFixture exitGroup(long serial, int pid, int ppid, int code) {
    sys(serial, pid, ppid, 231, "a0=" + Integer.toHexString(code) + " a1=0 a2=0 a3=0 items=0");
    return end(serial);
  }

  public AuditFixture openat(
      long serial,
      int pid,
      int ppid,
      String cwd,
      String name,
      String flagsHex,
      int fd,
      boolean created) {
    sys(
        serial,
        pid,
        ppid,
        257,
        "success=yes exit="
            + fd
            + " a0=ffffff9c a1=1 a2="
            + flagsHex
            + " a3=1b6 items="
            + (created ? 2 : 1));
    cwd(serial, cwd);
    if (created) {
      int slash = name.lastIndexOf('/');
      path(serial, 0, slash < 0 ? cwd : name.substring(0, slash + 1), "PARENT", 7);
      path(serial, 1, name, "CREATE", 5000 + serial);
    } else {
      path(serial, 0, name, "NORMAL", 5000 + serial);
    }
    return end(serial);
  }

  public AuditFixture close(long serial, int pid, int ppid, int fd) {
    sys(
        serial,
        pid,
        ppid,
        3,
        "success=yes exit=0 a0=" + Integer.toHexString(fd) + " a1=0 a2=0 a3=0 items=0");
    return end(serial);
  }

  public AuditFixture dup2(long serial, int pid, int ppid, int oldFd, int newFd) {
    sys(
        serial,
        pid,
        ppid,
        33,
        "success=yes exit="
            + newFd
            + " a0="
            + Integer.toHexString(oldFd)
            + " a1="
            + Integer.toHexString(newFd)
            + " a2=0 a3=0 items=0");
    return end(serial);
  }

  public AuditFixture pipe(long serial, int pid, int ppid, int fd0, int fd1) {
    sys(serial, pid, ppid, 293, "success=yes exit=0 a0=7ffd0 a1=0 a2=0 a3=0 items=0");
    rec("FD_PAIR", serial, "fd0=" + fd0 + " fd1=" + fd1);
    return end(serial);
  }

  /** Feeds all lines written so far, then ends the input. */
  public AuditFixture run() {
    feed();
    processor.endOfInput();
    return this;
  }

  /** Feeds all lines written so far (and forgets them). */
  public AuditFixture feed() {
    for (String l : lines) {
      byte[] b = l.getBytes(StandardCharsets.UTF_8);
      processor.acceptLine(b, 0, b.length);
    }
    lines.clear();
    return this;
  }

  public <T extends EventData> List<T> of(Class<T> type) {
    return events.stream()
        .map(ProvEvent::data)
        .filter(type::isInstance)
        .map(type::cast)
        .collect(Collectors.toList());
  }

  public List<String> ids() {
    return events.stream().map(ProvEvent::id).collect(Collectors.toList());
  }
}
