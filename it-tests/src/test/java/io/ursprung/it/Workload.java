package io.ursprung.it;

import io.ursprung.events.Credentials;
import io.ursprung.events.FileAccess;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.SocketActivity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic, deterministic event stream of one host: pipelines of processes that read, write,
 * rename, pipe and connect, as the auditd plugin would emit them.
 */
final class Workload {
  static final Producer PRODUCER = new Producer("ursprung-it-workload", "1");

  private Workload() {}

  /** About {@code 12 * rounds} events on {@code host}. */
  static List<ProvEvent> events(String host, int rounds) {
    List<ProvEvent> out = new ArrayList<>();
    Instant t = Instant.parse("2026-11-20T09:00:00.000Z");
    ProcessRef shell = new ProcessRef(100, t);
    int serial = 0;
    out.add(
        ev(
            host,
            serial++,
            t,
            new ProcessStarted(
                shell,
                null,
                1,
                100,
                100,
                Credentials.ofIds(1001, 1001),
                "/home/bob",
                "/usr/bin/bash",
                List.of("bash"),
                "first-seen")));
    for (int i = 0; i < rounds; i++) {
      t = t.plusMillis(10);
      ProcessRef a = new ProcessRef(1000 + 2 * (i % 20000), t);
      ProcessRef b = new ProcessRef(1001 + 2 * (i % 20000), t.plusMillis(1));
      String in = "/home/bob/in/" + (i % 50) + ".csv";
      String out1 = "/home/bob/out/" + i + ".tmp";
      String out2 = "/home/bob/out/" + i + ".csv";
      out.add(
          ev(
              host,
              serial++,
              t,
              new ProcessStarted(a, shell, 100, 100, 100, null, "/home/bob", null, null, "fork")));
      out.add(
          ev(
              host,
              serial++,
              t.plusMillis(1),
              new ProcessStarted(b, shell, 100, 100, 100, null, "/home/bob", null, null, "fork")));
      out.add(
          ev(
              host,
              serial++,
              t.plusMillis(2),
              new ProcessExec(
                  a,
                  "/usr/bin/cat",
                  500L,
                  "fe:01",
                  List.of("cat", in),
                  "/home/bob",
                  null,
                  "execve")));
      out.add(
          ev(
              host,
              serial++,
              t.plusMillis(2),
              new ProcessExec(
                  b,
                  "/usr/bin/sort",
                  501L,
                  "fe:01",
                  List.of("sort", "-o", out1),
                  "/home/bob",
                  null,
                  "execve")));
      out.add(ev(host, serial++, t.plusMillis(3), new Ipc("pipe", "100:3,4:" + i, a, b)));
      out.add(
          ev(host, serial++, t.plusMillis(3), open(a, in, 10_000L + (i % 50), true, false, false)));
      out.add(ev(host, serial++, t.plusMillis(4), open(b, out1, 20_000L + i, false, true, true)));
      out.add(ev(host, serial++, t.plusMillis(5), close(b, out1, 20_000L + i)));
      out.add(ev(host, serial++, t.plusMillis(6), rename(b, out1, 20_000L + i, out2)));
      out.add(ev(host, serial++, t.plusMillis(7), new ProcessExited(a, 0, null, "exit_group")));
      out.add(ev(host, serial++, t.plusMillis(8), new ProcessExited(b, 0, null, "exit_group")));
      if (i % 10 == 0) {
        out.add(
            ev(
                host,
                serial++,
                t.plusMillis(8),
                new SocketActivity(shell, "connect", 5, "inet", "10.0.0.9", 443, null, 0L)));
      }
    }
    return out;
  }

  static FileAccess open(
      ProcessRef p, String path, long inode, boolean read, boolean write, boolean create) {
    return new FileAccess(
        p,
        FileAccess.Op.OPEN,
        path,
        inode,
        "fe:01",
        3,
        "0x0",
        read,
        write,
        create,
        create,
        null,
        null,
        "file");
  }

  /** {@code from} (inode {@code inode} on fe:01) renamed to {@code to} by {@code p}. */
  static FileAccess rename(ProcessRef p, String from, long inode, String to) {
    return naming(p, FileAccess.Op.RENAME, from, inode, to, null, "file");
  }

  /** {@code p} made the symlink {@code linkName} (inode {@code linkInode}) with {@code text}. */
  static FileAccess symlink(ProcessRef p, String text, String linkName, long linkInode) {
    return naming(p, FileAccess.Op.SYMLINK, text, null, linkName, linkInode, "symlink");
  }

  /** A rename, link or symlink on fe:01: {@code path} gives {@code target} its name. */
  static FileAccess naming(
      ProcessRef p,
      FileAccess.Op op,
      String path,
      Long inode,
      String target,
      Long targetInode,
      String type) {
    return new FileAccess(
        p, op, path, inode, "fe:01", null, null, null, null, null, null, target, targetInode, type);
  }

  static FileAccess close(ProcessRef p, String path, long inode) {
    return new FileAccess(
        p,
        FileAccess.Op.CLOSE,
        path,
        inode,
        "fe:01",
        3,
        null,
        null,
        true,
        null,
        null,
        null,
        null,
        "file");
  }

  static ProvEvent ev(String host, int serial, Instant t, io.ursprung.events.EventData d) {
    return ProvEvent.of(host + ":auditd:" + serial + ":0", PRODUCER, host, t, d);
  }
}
