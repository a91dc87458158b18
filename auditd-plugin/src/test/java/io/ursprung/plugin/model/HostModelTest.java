package io.ursprung.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.FileAccess;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessGroupChanged;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.RawSyscall;
import io.ursprung.events.SocketActivity;
import io.ursprung.plugin.audit.AuditFixture;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HostModelTest {

  private static Instant at(long serial) {
    return Instant.ofEpochMilli(1_700_000_000_000L + serial);
  }

  /** A shell, pid 100 (parent 1), seen first at its exec in /home/bob (serial 1). */
  private static AuditFixture shell() {
    return new AuditFixture().exec(1, 100, 1, "/home/bob", "/usr/bin/bash", "bash");
  }

  private static ProcessStarted started(AuditFixture f, int pid) {
    List<ProcessStarted> s =
        f.of(ProcessStarted.class).stream()
            .filter(p -> p.process().pid() == pid)
            .collect(Collectors.toList());
    assertEquals(1, s.size(), "exactly one start of " + pid + ": " + s);
    return s.get(0);
  }

  @Test
  void forkExecExitWithDeterministicIds() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    f.exec(3, 101, 100, "/home/bob", "/usr/bin/ls", "ls", "/nonexistent");
    f.exitGroup(4, 101, 100, 2).run();

    ProcessStarted sh = started(f, 100);
    assertEquals("first-seen", sh.how());
    assertEquals(1, sh.ppid());
    ProcessStarted child = started(f, 101);
    assertEquals("clone", child.how()); // glibc fork() is clone(SIGCHLD|...)
    assertEquals(sh.process(), child.parent());
    assertEquals(at(2), child.process().start());
    assertEquals("/home/bob", child.cwd());
    assertEquals("bob", child.credentials().user());

    ProcessExec ls = f.of(ProcessExec.class).get(1);
    assertEquals(List.of("ls", "/nonexistent"), ls.argv());
    assertEquals(child.process(), ls.process());
    ProcessExited exit = f.of(ProcessExited.class).get(0);
    assertEquals(2, exit.exitCode());
    assertEquals("exit_group", exit.how());
    assertEquals(
        List.of(
            "t1:auditd:1:0", "t1:auditd:1:1", "t1:auditd:2:0", "t1:auditd:3:0", "t1:auditd:4:0"),
        f.ids());
    assertEquals(at(3), f.events.get(3).time());
  }

  @Test
  void replayGivesIdenticalEvents() {
    List<ProvEvent> a = shell().fork(2, 100, 1, 101).run().events;
    List<ProvEvent> b = shell().fork(2, 100, 1, 101).run().events;
    assertEquals(a, b);
  }

  @Test
  void vforkChildExecBeforeParentsRecordIsNeitherLostNorDuplicated() {
    AuditFixture f = shell();
    f.exec(10, 101, 100, "/home/bob", "/usr/lib/gcc/cc1", "cc1", "x.c");
    f.sys(11, 100, 1, 58, "success=yes exit=101 a0=0 a1=0 a2=0 a3=0 items=0").end(11);
    f.exitGroup(12, 101, 100, 0).run();
    ProcessStarted cc1 = started(f, 101);
    assertEquals("vfork", cc1.how());
    assertEquals(at(11), cc1.process().start());
    ProcessExec exec = f.of(ProcessExec.class).get(1);
    assertEquals(cc1.process(), exec.process());
    assertEquals(List.of("cc1", "x.c"), exec.argv());
    assertEquals("t1:auditd:10:0", f.events.get(f.events.indexOf(eventOf(f, exec))).id());
  }

  private static ProvEvent eventOf(AuditFixture f, Object data) {
    return f.events.stream().filter(e -> e.data() == data).findFirst().orElseThrow();
  }

  @Test
  void childWithoutCloneRecordIsFirstSeenAtEndOfInput() {
    AuditFixture f = shell();
    f.exec(10, 101, 100, "/home/bob", "/bin/cat", "cat").run();
    ProcessStarted s = started(f, 101);
    assertEquals("first-seen", s.how());
    assertEquals(started(f, 100).process(), s.parent());
    assertEquals(1, f.of(ProcessExec.class).stream().filter(e -> e.process().pid() == 101).count());
  }

  @Test
  void threadsAreNotProcessesAndTheirExitDoesNotEndTheProcess() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 56, "success=yes exit=102 a0=3d0f00 a1=0 a2=0 a3=0 items=0").end(2);
    f.sys(3, 100, 1, 60, "a0=0 a1=0 a2=0 a3=0 items=0").end(3);
    f.feed();
    assertEquals(1, f.of(ProcessStarted.class).size());
    assertEquals(0, f.of(ProcessExited.class).size());
    f.sys(4, 100, 1, 60, "a0=0 a1=0 a2=0 a3=0 items=0").end(4).run();
    assertEquals("exit", f.of(ProcessExited.class).get(0).how());
  }

  @Test
  void clone3ChildIsAThreadUntilItShowsUpAsAPid() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 435, "success=yes exit=102 a0=7ffd a1=58 a2=0 a3=0 items=0").end(2);
    f.sys(3, 100, 1, 435, "success=yes exit=103 a0=7ffd a1=58 a2=0 a3=0 items=0").end(3);
    f.exec(4, 103, 100, "/home/bob", "/bin/echo", "echo").run();
    assertEquals(2, f.of(ProcessStarted.class).size());
    ProcessStarted p = started(f, 103);
    assertEquals("clone3", p.how());
    assertEquals(at(3), p.process().start());
    assertEquals("t1:auditd:3:0", eventOf(f, p).id());
  }

  @Test
  void pidReuseEndsTheOldIncarnation() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    f.fork(3, 100, 1, 101).run();
    List<ProcessStarted> starts =
        f.of(ProcessStarted.class).stream().filter(p -> p.process().pid() == 101).toList();
    assertEquals(2, starts.size());
    ProcessExited gone = f.of(ProcessExited.class).get(0);
    assertEquals("pid-reused", gone.how());
    assertEquals(starts.get(0).process(), gone.process());
    assertNull(gone.exitCode());
  }

  @Test
  void processesStillAliveAtEndOfInputAreNotReportedAsEnded() {
    AuditFixture f = shell().run();
    assertEquals(0, f.of(ProcessExited.class).size());
    assertEquals(1, f.processor.liveProcesses());
  }

  @Test
  void relativeNamesResolveAgainstCwdAndDirfd() {
    AuditFixture f = shell();
    f.openat(2, 100, 1, "/home/bob/etl", "./in/../out//rows.csv", "0", 3, false);
    // a directory fd, then a name relative to it
    f.sys(3, 100, 1, 257, "success=yes exit=4 a0=ffffff9c a1=1 a2=90800 a3=0 items=1");
    f.cwd(3, "/home/bob");
    f.rec("PATH", 3, "item=0 name=\"/data\" inode=9 dev=fe:00 mode=040755 nametype=NORMAL");
    f.end(3);
    f.sys(4, 100, 1, 257, "success=yes exit=5 a0=4 a1=1 a2=0 a3=0 items=1");
    f.cwd(4, "/home/bob");
    f.path(4, 0, "sub/x.txt", "NORMAL", 10);
    f.end(4).run();
    List<FileAccess> opens = f.of(FileAccess.class);
    assertEquals("/home/bob/etl/out/rows.csv", opens.get(0).path());
    assertEquals("dir", opens.get(1).objectType());
    assertEquals("/data/sub/x.txt", opens.get(2).path());
    assertEquals(5, opens.get(2).fd());
  }

  @Test
  void openFlagsAndWriteCloseOnLastDescriptor() {
    AuditFixture f = shell();
    f.openat(2, 100, 1, "/w", "out.txt", "241", 3, true);
    f.dup2(3, 100, 1, 3, 1);
    f.close(4, 100, 1, 3);
    f.feed();
    FileAccess open = f.of(FileAccess.class).get(0);
    assertEquals(FileAccess.Op.OPEN, open.op());
    assertEquals("0x241", open.flags());
    assertEquals(true, open.write());
    assertEquals(false, open.read());
    assertEquals(true, open.create());
    assertEquals(true, open.truncate());
    assertEquals(1, f.of(FileAccess.class).size(), "fd 1 still refers to the file");
    f.exitGroup(5, 100, 1, 0).run();
    FileAccess close = f.of(FileAccess.class).get(1);
    assertEquals(FileAccess.Op.CLOSE, close.op());
    assertEquals("/w/out.txt", close.path());
    assertEquals(1, close.fd());
    assertEquals(true, close.write());
    assertEquals("t1:auditd:5:0", eventOf(f, close).id());
  }

  @Test
  void closeOnExecDescriptorsAreClosedByExec() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    f.openat(3, 101, 100, "/w", "log.txt", "80241", 3, true);
    f.exec(4, 101, 100, "/w", "/bin/true", "true").run();
    List<FileAccess> fa = f.of(FileAccess.class);
    assertEquals(FileAccess.Op.CLOSE, fa.get(1).op());
    assertEquals("t1:auditd:4:0", eventOf(f, fa.get(1)).id());
  }

  @Test
  void shellPipelineGivesOneIpcPerWriterReaderPair() {
    AuditFixture f = shell();
    f.pipe(2, 100, 1, 3, 4);
    f.fork(3, 100, 1, 101); // writer
    f.fork(4, 100, 1, 102); // reader
    f.close(5, 100, 1, 3);
    f.close(6, 100, 1, 4);
    f.close(7, 101, 100, 3);
    f.dup2(8, 101, 100, 4, 1);
    f.close(9, 101, 100, 4);
    f.exec(10, 101, 100, "/w", "/usr/bin/sort", "sort");
    f.close(11, 102, 100, 4);
    f.dup2(12, 102, 100, 3, 0);
    f.close(13, 102, 100, 3);
    f.exec(14, 102, 100, "/w", "/usr/bin/uniq", "uniq");
    f.exitGroup(15, 101, 100, 0);
    f.exitGroup(16, 102, 100, 0).run();
    List<Ipc> ipc = f.of(Ipc.class);
    assertEquals(1, ipc.size(), ipc.toString());
    assertEquals("pipe", ipc.get(0).kind());
    assertEquals("100:2:3-4", ipc.get(0).channel());
    assertEquals(started(f, 101).process(), ipc.get(0).writer());
    assertEquals(started(f, 102).process(), ipc.get(0).reader());
  }

  @Test
  void subshellWritingWithBuiltinsCountsAtExit() {
    AuditFixture f = shell();
    f.pipe(2, 100, 1, 3, 4);
    f.fork(3, 100, 1, 101);
    f.fork(4, 100, 1, 102);
    f.close(5, 100, 1, 3);
    f.close(6, 100, 1, 4);
    f.close(7, 101, 100, 3);
    f.dup2(8, 101, 100, 4, 1);
    f.close(9, 101, 100, 4);
    f.close(10, 102, 100, 4);
    f.dup2(11, 102, 100, 3, 0);
    f.close(12, 102, 100, 3);
    f.exec(13, 102, 100, "/w", "/usr/bin/cat", "cat");
    f.exitGroup(14, 101, 100, 0).run();
    List<Ipc> ipc = f.of(Ipc.class);
    assertEquals(1, ipc.size());
    assertEquals(101, ipc.get(0).writer().pid());
    assertEquals("t1:auditd:14:0", eventOf(f, ipc.get(0)).id());
  }

  @Test
  void failedSyscallsChangeNothingButEinprogressConnects() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 257, "success=no exit=-2 a0=ffffff9c a1=1 a2=0 a3=0 items=1");
    f.cwd(2, "/w").path(2, 0, "missing", "NORMAL", 1).end(2);
    f.sys(3, 100, 1, 59, "success=no exit=-2 a0=1 a1=2 a2=3 a3=4 items=1");
    f.cwd(3, "/w").path(3, 0, "/usr/local/bin/x", "NORMAL", 1).end(3);
    f.sys(4, 100, 1, 42, "success=no exit=-115 a0=5 a1=1 a2=10 a3=0 items=0");
    f.rec("SOCKADDR", 4, "saddr=0200223D7F0000010000000000000000").end(4);
    f.sys(5, 100, 1, 42, "success=no exit=-111 a0=5 a1=1 a2=10 a3=0 items=0");
    f.rec("SOCKADDR", 5, "saddr=0200223D7F0000010000000000000000").end(5);
    f.run();
    assertEquals(0, f.of(FileAccess.class).size());
    assertEquals(1, f.of(ProcessExec.class).size());
    List<SocketActivity> s = f.of(SocketActivity.class);
    assertEquals(1, s.size());
    assertEquals(-115L, s.get(0).result());
    assertEquals("127.0.0.1", s.get(0).address());
    assertEquals(8765, s.get(0).port());
  }

  @Test
  void socketAddressesOfEveryFamily() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 41, "success=yes exit=10 a0=a a1=1 a2=0 a3=0 items=0").end(2);
    // bind [::1]:11211 on fd 10 (0xa) — an fd >= 10, which the original lost
    f.sys(3, 100, 1, 49, "success=yes exit=0 a0=a a1=1 a2=1c a3=0 items=0");
    f.rec("SOCKADDR", 3, "saddr=0A002BCB00000000000000000000000000000000000000010000000000").end(3);
    f.sys(4, 100, 1, 50, "success=yes exit=0 a0=a a1=80 a2=0 a3=0 items=0").end(4);
    f.sys(5, 100, 1, 42, "success=yes exit=0 a0=b a1=1 a2=6 a3=0 items=0");
    f.rec("SOCKADDR", 5, "saddr=0100006162630000").end(5);
    f.sys(6, 100, 1, 42, "success=yes exit=0 a0=c a1=1 a2=6e a3=0 items=0");
    f.rec("SOCKADDR", 6, "saddr=01002F72756E2F782E736F636B00A5B0C0").end(6);
    f.sys(7, 100, 1, 288, "success=yes exit=11 a0=a a1=1 a2=1 a3=80000 items=0");
    f.rec("SOCKADDR", 7, "saddr=0A008BB60000000020010DB8000000000000000000000042000000000000")
        .end(7);
    f.run();
    List<SocketActivity> s = f.of(SocketActivity.class);
    assertEquals("bind", s.get(0).op());
    assertEquals(10, s.get(0).fd());
    assertEquals("inet6", s.get(0).family());
    assertEquals("::1", s.get(0).address());
    assertEquals(11211, s.get(0).port());
    assertEquals("listen", s.get(1).op());
    assertEquals("::1", s.get(1).address());
    assertEquals("@abc", s.get(2).path());
    assertEquals("/run/x.sock", s.get(3).path());
    assertEquals("accept", s.get(4).op());
    assertEquals(11, s.get(4).fd());
    assertEquals("2001:db8::42", s.get(4).address());
    assertEquals(35766, s.get(4).port());
  }

  @Test
  void namespaceOperations() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 316, "success=yes exit=0 a0=ffffff9c a1=1 a2=ffffff9c a3=2 items=5");
    f.cwd(2, "/w");
    f.path(2, 0, "out/", "PARENT", 7).path(2, 1, "out/", "PARENT", 7);
    f.path(2, 2, "out/s.json.part", "DELETE", 81).path(2, 3, "out/s.json", "DELETE", 80);
    f.path(2, 4, "out/s.json", "CREATE", 81).end(2);
    f.sys(3, 100, 1, 263, "success=yes exit=0 a0=ffffff9c a1=1 a2=200 a3=0 items=2");
    f.cwd(3, "/w").path(3, 0, "/w/", "PARENT", 7).path(3, 1, "tmpdir", "DELETE", 9).end(3);
    f.sys(4, 100, 1, 265, "success=yes exit=0 a0=ffffff9c a1=1 a2=ffffff9c a3=2 items=3");
    f.cwd(4, "/w").path(4, 0, "out/", "PARENT", 7).path(4, 1, "out/r.csv", "NORMAL", 50);
    f.path(4, 2, "out/r.hard.csv", "CREATE", 50).end(4);
    f.sys(5, 100, 1, 266, "success=yes exit=0 a0=1 a1=ffffff9c a2=2 a3=0 items=3");
    f.cwd(5, "/w").path(5, 0, "/w/sub", "PARENT", 7);
    f.rec("PATH", 5, "item=1 name=\"../out/s.json\" nametype=UNKNOWN");
    f.path(5, 2, "sub/latest.json", "CREATE", 97).end(5);
    f.sys(6, 100, 1, 83, "success=yes exit=0 a0=1 a1=1ff a2=0 a3=0 items=2");
    f.cwd(6, "/w").path(6, 0, "/w/", "PARENT", 7).path(6, 1, "newdir", "CREATE", 98).end(6);
    f.run();
    List<FileAccess> fa = f.of(FileAccess.class);
    assertEquals(FileAccess.Op.RENAME, fa.get(0).op());
    assertEquals("/w/out/s.json.part", fa.get(0).path());
    assertEquals("/w/out/s.json", fa.get(0).targetPath());
    assertEquals(81L, fa.get(0).inode());
    assertEquals(FileAccess.Op.RMDIR, fa.get(1).op());
    assertEquals("/w/tmpdir", fa.get(1).path());
    assertEquals(FileAccess.Op.LINK, fa.get(2).op());
    assertEquals("/w/out/r.csv", fa.get(2).path());
    assertEquals("/w/out/r.hard.csv", fa.get(2).targetPath());
    assertEquals(FileAccess.Op.SYMLINK, fa.get(3).op());
    assertEquals("/w/out/s.json", fa.get(3).path());
    assertEquals("/w/sub/latest.json", fa.get(3).targetPath());
    assertEquals(FileAccess.Op.MKDIR, fa.get(4).op());
    assertEquals("/w/newdir", fa.get(4).path());
  }

  @Test
  void processGroupsAndSessions() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    f.sys(3, 100, 1, 109, "success=yes exit=0 a0=65 a1=65 a2=0 a3=0 items=0").end(3);
    f.sys(4, 101, 100, 112, "success=yes exit=101 a0=0 a1=0 a2=0 a3=0 items=0").end(4);
    f.run();
    List<ProcessGroupChanged> g = f.of(ProcessGroupChanged.class);
    ProcessRef child = started(f, 101).process();
    assertEquals(child, g.get(0).process());
    assertEquals(101, g.get(0).pgid());
    assertEquals("setpgid", g.get(0).op());
    assertEquals("setsid", g.get(1).op());
    assertEquals(101, g.get(1).sid());
  }

  @Test
  void rawSyscallsWhenAsked() {
    AuditFixture f = new AuditFixture("t1", true);
    f.exec(1, 100, 1, "/home/bob", "/usr/bin/bash", "bash").run();
    RawSyscall raw = f.of(RawSyscall.class).get(0);
    assertEquals("execve", raw.syscall());
    assertEquals(1, raw.serial());
    assertEquals("/home/bob", raw.records().get(2).fields().get("cwd"));
    assertTrue(f.ids().contains("t1:auditd:1:0"));
  }

  @Test
  void heldBackChildIsAnnouncedOnWallClockTimeOut() {
    AuditFixture f = shell();
    f.exec(10, 101, 100, "/home/bob", "/bin/cat", "cat").feed();
    f.processor.tick(10_000);
    assertEquals(1, f.of(ProcessStarted.class).size(), "still waiting for the clone record");
    f.processor.tick(12_500);
    assertEquals("first-seen", started(f, 101).how());
    assertEquals(1, f.of(ProcessExec.class).stream().filter(e -> e.process().pid() == 101).count());
  }

  @Test
  void samePidWithAnotherParentWhileTheOldParentLivesIsANewProcess() {
    AuditFixture f = shell();
    f.exec(2, 200, 1, "/", "/bin/sh", "sh"); // a second, unrelated shell
    f.fork(3, 100, 1, 101);
    // pid 101 now acts with ppid 200, but its parent 100 is alive: it died unseen, pid reused
    f.exec(4, 101, 200, "/", "/bin/true", "true");
    f.sys(5, 200, 1, 56, "success=yes exit=101 a0=1200011 a1=0 a2=0 a3=0 items=0").end(5).run();
    ProcessExited gone = f.of(ProcessExited.class).get(0);
    assertEquals("pid-reused", gone.how());
    assertEquals(at(3), gone.process().start());
    List<ProcessStarted> starts =
        f.of(ProcessStarted.class).stream().filter(p -> p.process().pid() == 101).toList();
    assertEquals(2, starts.size());
    assertEquals(200, starts.get(1).ppid());
  }

  @Test
  void rawSyscallArgumentsStayAsWrittenWhileExecveArgumentsAreDecoded() {
    AuditFixture f = new AuditFixture("t1", true);
    f.sys(1, 100, 1, 59, "success=yes exit=0 a0=10 a1=2000 a2=41 a3=1B6 items=0");
    f.rec("EXECVE", 1, "argc=2 a0=\"cat\" a1=2F746D702F612062").end(1).run();
    RawSyscall raw = f.of(RawSyscall.class).get(0);
    assertEquals("10", raw.records().get(0).fields().get("a0"));
    assertEquals("2000", raw.records().get(0).fields().get("a1"));
    assertEquals("1B6", raw.records().get(0).fields().get("a3"));
    assertEquals("/tmp/a b", raw.records().get(1).fields().get("a1"));
    assertEquals(List.of("cat", "/tmp/a b"), f.of(ProcessExec.class).get(0).argv());
  }

  @Test
  void inodesAtOrAbove2To63KeepTheirUnsignedBits() {
    AuditFixture f = shell();
    String[] inodes = {"10000000000000000000", "18446744073709551615", "18446744073709551616"};
    for (int i = 0; i < inodes.length; i++) {
      int serial = 2 + i;
      f.sys(
          serial,
          100,
          1,
          257,
          "success=yes exit=" + (3 + i) + " a0=ffffff9c a1=1 a2=0 a3=0 items=1");
      f.cwd(serial, "/w");
      f.rec(
              "PATH",
              serial,
              "item=0 name=\""
                  + (char) ('a' + i)
                  + "\" inode="
                  + inodes[i]
                  + " dev=fe:00 mode=0100644 nametype=NORMAL")
          .end(serial);
    }
    f.run();
    List<FileAccess> fa = f.of(FileAccess.class);
    assertEquals(Long.parseUnsignedLong("10000000000000000000"), fa.get(0).inode());
    assertEquals("10000000000000000000", Long.toUnsignedString(fa.get(0).inode()));
    assertEquals(-1L, fa.get(1).inode());
    assertNull(fa.get(2).inode(), "more than 64 bits is not an inode");
  }

  @Test
  void threadExitOfAProcessFirstSeenMidLifeDoesNotEndIt() {
    AuditFixture f = new AuditFixture();
    f.openat(1, 500, 1, "/w", "out.txt", "41", 3, true);
    f.sys(2, 500, 1, 60, "a0=0 a1=0 a2=0 a3=0 items=0").end(2);
    f.close(3, 500, 1, 3).run();
    ProcessStarted s = started(f, 500);
    assertEquals("first-seen", s.how());
    assertEquals(0, f.of(ProcessExited.class).size());
    List<FileAccess> fa = f.of(FileAccess.class);
    assertEquals(2, fa.size(), fa.toString());
    FileAccess close = fa.get(1);
    assertEquals(FileAccess.Op.CLOSE, close.op());
    assertEquals(true, close.write());
    assertEquals("/w/out.txt", close.path());
    assertEquals(s.process(), close.process());
    assertEquals("t1:auditd:3:0", eventOf(f, close).id());
  }

  @Test
  void exitOfAProcessSeenFromItsForkEndsIt() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    f.openat(3, 101, 100, "/w", "out.txt", "41", 3, true);
    f.sys(4, 101, 100, 60, "a0=1 a1=0 a2=0 a3=0 items=0").end(4).run();
    ProcessExited gone = f.of(ProcessExited.class).get(0);
    assertEquals("exit", gone.how());
    assertEquals(started(f, 101).process(), gone.process());
    assertEquals(FileAccess.Op.CLOSE, f.of(FileAccess.class).get(1).op());
  }

  @Test
  void reusedClone3ThreadIdWithAnotherParentIsNotTheOldParentsChild() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 435, "success=yes exit=102 a0=7ffd a1=58 a2=0 a3=0 items=0").end(2);
    // the thread ended unseen; an unrelated process now has the number
    f.exec(3, 102, 1, "/", "/bin/true", "true").run();
    ProcessStarted s = started(f, 102);
    assertEquals("first-seen", s.how());
    assertEquals(1, s.ppid());
    assertNull(s.parent());
    assertEquals(at(3), s.process().start());
  }

  @Test
  void clone3ThreadsAreForgottenAfterTheTimeOut() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 435, "success=yes exit=102 a0=7ffd a1=58 a2=0 a3=0 items=0").end(2);
    f.feed();
    assertEquals(1, f.processor.pendingClone3());
    // long after the clone3, the number shows up as a pid whose parent is the shell: another
    // child that got the number after the thread ended, not the clone3 child
    f.exec(60_002, 102, 100, "/", "/bin/true", "true").run();
    assertEquals(0, f.processor.pendingClone3());
    ProcessStarted s = started(f, 102);
    assertEquals("first-seen", s.how());
    assertEquals(at(60_002), s.process().start());
    assertEquals(started(f, 100).process(), s.parent());
  }

  @Test
  void aCloneHandingOutAPendingClone3NumberDropsThePendingEntry() {
    AuditFixture f = shell();
    f.sys(2, 100, 1, 435, "success=yes exit=102 a0=7ffd a1=58 a2=0 a3=0 items=0").end(2);
    f.fork(3, 100, 1, 102).feed();
    assertEquals(0, f.processor.pendingClone3());
    f.exec(4, 102, 100, "/", "/bin/true", "true").run();
    ProcessStarted s = started(f, 102);
    assertEquals("clone", s.how());
    assertEquals(at(3), s.process().start());
  }

  /** kill(target, sig) by pid, with the OBJ_PID record the kernel writes for the target. */
  private static AuditFixture kill(
      AuditFixture f, long serial, int pid, int ppid, int target, int sig, boolean ok) {
    f.sys(
        serial,
        pid,
        ppid,
        62,
        (ok ? "success=yes exit=0" : "success=no exit=-3")
            + " a0="
            + Integer.toHexString(target)
            + " a1="
            + Integer.toHexString(sig)
            + " a2=0 a3=0 items=0");
    if (ok) {
      f.rec(
          "OBJ_PID",
          serial,
          "opid=" + target + " oauid=1001 ouid=1001 oses=3 obj=unconfined ocomm=\"python3\"");
    }
    return f.end(serial);
  }

  @Test
  void sigkillEndsTheTargetClosesItsFilesAndInformsIt() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    f.exec(3, 101, 100, "/w", "/usr/bin/python3", "python3", "-m", "http.server");
    f.openat(4, 101, 100, "/w", "log.txt", "241", 3, true);
    kill(f, 5, 100, 1, 101, 9, true);
    f.fork(6, 100, 1, 101).run(); // the pid is free again: no pid-reused end of the old one

    ProcessStarted server = f.of(ProcessStarted.class).get(1);
    Ipc sig = f.of(Ipc.class).get(0);
    assertEquals("signal", sig.kind());
    assertEquals("SIGKILL", sig.channel());
    assertEquals(started(f, 100).process(), sig.writer());
    assertEquals(server.process(), sig.reader());
    List<ProcessExited> ends = f.of(ProcessExited.class);
    assertEquals(1, ends.size(), ends.toString());
    assertEquals(server.process(), ends.get(0).process());
    assertEquals("killed", ends.get(0).how());
    assertEquals(9, ends.get(0).signal());
    assertNull(ends.get(0).exitCode());
    FileAccess close = f.of(FileAccess.class).get(1);
    assertEquals(FileAccess.Op.CLOSE, close.op());
    assertEquals("/w/log.txt", close.path());
    assertEquals(true, close.write());
    assertEquals("t1:auditd:5:1", eventOf(f, close).id()); // after the signal that caused it
    assertEquals(at(6), f.of(ProcessStarted.class).get(2).process().start());
  }

  @Test
  void otherSignalsInformWithoutEndingAndProbesFailuresAndStrangersAreIgnored() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    kill(f, 3, 100, 1, 101, 15, true); // SIGTERM: may be handled
    kill(f, 4, 100, 1, 101, 0, true); // signal 0: a probe
    kill(f, 5, 100, 1, 101, 9, false); // failed (ESRCH)
    kill(f, 6, 100, 1, 4242, 9, true); // a process the model never saw
    kill(f, 7, 100, 1, 100, 10, true); // to itself: no edge
    // tgkill(101, 101, SIGUSR1) without an OBJ_PID record: the target is the thread group a0
    f.sys(8, 100, 1, 234, "success=yes exit=0 a0=65 a1=65 a2=a a3=0 items=0").end(8);
    f.run();

    List<Ipc> signals = f.of(Ipc.class);
    assertEquals(2, signals.size(), signals.toString());
    assertEquals("SIGTERM", signals.get(0).channel());
    assertEquals(started(f, 101).process(), signals.get(0).reader());
    assertEquals("SIGUSR1", signals.get(1).channel());
    assertEquals(started(f, 100).process(), signals.get(1).writer());
    assertEquals(started(f, 101).process(), signals.get(1).reader());
    assertTrue(f.of(ProcessExited.class).isEmpty(), f.of(ProcessExited.class).toString());
    assertEquals("SIGRTMIN+2", HostModel.signalName(36));
  }

  @Test
  void anArchitectureWithoutANumberTableIsReadByTheEnrichedSyscallName() {
    // ppc64le (IBM Power): no table here, so the call is taken from auditd's ENRICHED tail.
    String tail = "\u001dARCH=ppc64le SYSCALL=%s AUID=\"bob\" UID=\"bob\"";
    String who =
        " ppid=1 pid=100 auid=1001 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001"
            + " sgid=1001 fsgid=1001 tty=pts0 ses=3 comm=\"x\" exe=\"/usr/bin/x\" key=\"k\"";
    AuditFixture f = new AuditFixture();
    f.rec(
        "SYSCALL",
        1,
        "arch=c0000015 syscall=286 success=yes exit=3 a0=ffffff9c a1=1 a2=241 a3=1b6 items=2"
            + who
            + String.format(tail, "openat"));
    f.cwd(1, "/w");
    f.path(1, 0, "/w/", "PARENT", 7);
    f.path(1, 1, "out.txt", "CREATE", 5001);
    f.end(1);
    f.rec(
        "SYSCALL",
        2,
        "arch=c0000015 syscall=234 a0=0 a1=0 a2=0 a3=0 items=0"
            + who
            + String.format(tail, "exit_group"));
    f.end(2).run();
    List<FileAccess> files = f.of(FileAccess.class);
    assertEquals(2, files.size(), files.toString());
    assertEquals("/w/out.txt", files.get(0).path());
    assertEquals(true, files.get(0).write());
    assertEquals(FileAccess.Op.CLOSE, files.get(1).op());
    assertEquals("exit_group", f.of(ProcessExited.class).get(0).how());
  }

  @Test
  void onS390xCloneFlagsAreTheSecondArgument() {
    String who =
        " ppid=1 pid=100 auid=1001 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001"
            + " sgid=1001 fsgid=1001 tty=pts0 ses=3 comm=\"x\" exe=\"/usr/bin/x\" key=\"k\"";
    AuditFixture f = new AuditFixture();
    // a thread: flags (CLONE_THREAD among them) in a1, a stack address in a0
    f.rec(
        "SYSCALL",
        1,
        "arch=80000016 syscall=120 success=yes exit=101 a0=3ff7fffe000 a1=3d0f00 a2=0 a3=0"
            + " items=0"
            + who
            + "\u001dARCH=s390x SYSCALL=clone");
    f.end(1);
    // a process: SIGCHLD only in a1, while a0 (the stack, 0 for fork) happens to have bit 16 set
    f.rec(
        "SYSCALL",
        2,
        "arch=80000016 syscall=120 success=yes exit=102 a0=10000 a1=11 a2=0 a3=0 items=0"
            + who
            + "\u001dARCH=s390x SYSCALL=clone");
    f.end(2).run();
    List<ProcessStarted> starts = f.of(ProcessStarted.class);
    assertEquals(2, starts.size(), starts.toString()); // pid 100 first seen, then its child 102
    assertEquals(102, starts.get(1).process().pid());
  }

  @Test
  void recordsOfAProcessJustKilledAreItsLastNotANewProcess() {
    AuditFixture f = shell();
    f.fork(2, 100, 1, 101);
    kill(f, 3, 100, 1, 101, 9, true);
    // 101 was finishing a syscall on another CPU: its record comes after the kill's
    f.openat(4, 101, 100, "/w", "late.txt", "0", 3, false);
    f.fork(5, 100, 1, 101); // the pid handed out again: a new process
    f.openat(6, 101, 100, "/w", "new.txt", "0", 3, false);
    // the window is event time: a record of 101 long after its next kill is a new process's
    kill(f, 7, 100, 1, 101, 9, true);
    f.openat(3000, 101, 100, "/w", "later.txt", "0", 3, false).run();

    List<ProcessStarted> starts =
        f.of(ProcessStarted.class).stream().filter(p -> p.process().pid() == 101).toList();
    assertEquals(3, starts.size(), starts.toString());
    assertEquals(at(5), starts.get(1).process().start());
    assertEquals("first-seen", starts.get(2).how());
    List<String> paths = f.of(FileAccess.class).stream().map(FileAccess::path).toList();
    assertEquals(List.of("/w/new.txt", "/w/later.txt"), paths);
  }
}
