package io.ursprung.rules;

import io.ursprung.events.Credentials;
import io.ursprung.events.FileAccess;
import io.ursprung.events.Ipc;
import io.ursprung.events.JobLifecycle;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessGroupChanged;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.RawSyscall;
import io.ursprung.events.SocketActivity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fully populated example events of every kind, shared by the tests. */
final class Events {
  static final Instant T = Instant.parse("2026-11-20T09:14:03.512Z");
  static final ProcessRef PROC = new ProcessRef(4242, Instant.parse("2026-11-20T09:00:00Z"));
  static final ProcessRef PARENT = new ProcessRef(1, Instant.parse("2026-11-20T08:00:00Z"));
  static final Credentials CREDS =
      new Credentials(1000, 1000, 1000, 1000, 1000, "alice", "staff", "alice");

  private Events() {}

  static ProvEvent event(Object data) {
    return ProvEvent.of(
        "worker01:77:0",
        new Producer("ursprung-auditd-plugin", "1.0"),
        "worker01",
        T,
        (io.ursprung.events.EventData) data);
  }

  static ProvEvent close(String path, boolean write) {
    return event(
        new FileAccess(
            PROC,
            FileAccess.Op.CLOSE,
            path,
            18446744073709551L,
            "fd:01",
            3,
            null,
            null,
            write,
            null,
            null,
            null,
            null,
            "file"));
  }

  static ProvEvent exec(String exe, String... argv) {
    return event(
        new ProcessExec(PROC, exe, 77L, "fd:01", List.of(argv), "/home/alice", CREDS, "execve"));
  }

  static List<ProvEvent> everyKind() {
    return List.of(
        event(
            new ProcessStarted(
                PROC,
                PARENT,
                1,
                4242,
                4242,
                CREDS,
                "/home/alice",
                "/bin/bash",
                List.of("bash"),
                "fork")),
        exec("/usr/bin/python3", "python3", "train.py", "--lr=0.1"),
        event(new ProcessExited(PROC, 0, 9, "exit_group")),
        event(new ProcessGroupChanged(PROC, 4242, 4242, "setsid")),
        event(
            new FileAccess(
                PROC,
                FileAccess.Op.RENAME,
                "/data/a.csv",
                12L,
                "fd:01",
                3,
                "0x8002",
                true,
                true,
                false,
                false,
                "/data/b.csv",
                13L,
                "file")),
        event(new Ipc("pipe", "4242:3", PROC, PARENT)),
        event(new SocketActivity(PROC, "connect", 5, "inet", "10.0.0.1", 5432, null, -115L)),
        event(new SocketActivity(PROC, "bind", 6, "unix", null, null, "/run/x.sock", 0L)),
        event(new JobLifecycle("job-1", "started", "alice", Map.of("queue", "gpu"))),
        event(
            new RawSyscall(
                77,
                "openat",
                PROC,
                3L,
                List.of(new RawSyscall.Record("SYSCALL", Map.of("a0", "ffffff9c"))))),
        event(
            new io.ursprung.events.HostStatus(
                io.ursprung.events.HostStatus.Kernel.of(1, 17, 3, 8192),
                new io.ursprung.events.HostStatus.Counters(100, 0, 0, 0, 0),
                30L)));
  }
}
