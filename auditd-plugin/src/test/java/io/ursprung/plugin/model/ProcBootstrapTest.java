package io.ursprung.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.FileAccess;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.audit.AuditFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeding the model from a /proc snapshot (a fake tree here), then audit records of the seeded
 * processes. Fixture events have times 1700000000000 + serial ms.
 */
class ProcBootstrapTest {
  private static final long BTIME = 1_699_990_000L;
  private static final long SCAN_BEFORE_RECORDS = 1_699_999_999_000L;

  @TempDir Path tmp;
  Path proc;
  Path out;

  @BeforeEach
  void fakeProc() throws IOException {
    proc = Files.createDirectories(tmp.resolve("proc"));
    out = Files.writeString(tmp.resolve("out.txt"), "partial");
    Files.writeString(proc.resolve("stat"), "cpu  1 2 3 4\nintr 5\nbtime " + BTIME + "\nctxt 9\n");
    Files.createSymbolicLink(proc.resolve("self"), Path.of("300"));
    Files.createDirectories(proc.resolve("sys"));
    // init, root: below the threshold
    process(1, "systemd", 0, 0, 1, 1, 100, "/usr/lib/systemd/systemd", "/sbin/init");
    // a login shell; its parent (sshd, root) is not seeded
    process(300, "bash", 1001, 900, 300, 300, 5000, "/usr/bin/bash", "-bash");
    // its child, with a lower pid (pids wrap) and a comm with spaces and parentheses
    Path child =
        process(
            250,
            "my (weird) prog",
            1001,
            300,
            300,
            300,
            6000,
            "/usr/bin/python3",
            "python3",
            "-c",
            "print(1)");
    fd(child, 3, out.toString(), "0100001"); // O_WRONLY|O_LARGEFILE
    fd(child, 4, "pipe:[4711]", "01");
    fd(child, 5, tmp.resolve("gone.txt") + " (deleted)", "02");
    fd(child, 6, "socket:[4712]", "02");
  }

  private Path process(
      int pid,
      String comm,
      int uid,
      int ppid,
      int pgid,
      int sid,
      long startTicks,
      String exe,
      String... argv)
      throws IOException {
    Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)));
    Files.writeString(
        d.resolve("stat"),
        pid
            + " ("
            + comm
            + ") S "
            + ppid
            + " "
            + pgid
            + " "
            + sid
            + " 34816 "
            + pgid
            + " 4194304 0 0 0 0 0 0 0 0 20 0 1 0 "
            + startTicks
            + " 9000000 500 18446744073709551615\n");
    Files.writeString(
        d.resolve("status"),
        "Name:\t"
            + comm
            + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t"
            + pid
            + "\nPPid:\t"
            + ppid
            + "\nUid:\t"
            + uid
            + "\t"
            + uid
            + "\t"
            + uid
            + "\t"
            + uid
            + "\nGid:\t"
            + (uid + 1)
            + "\t"
            + (uid + 1)
            + "\t"
            + (uid + 1)
            + "\t"
            + (uid + 1)
            + "\n");
    Files.writeString(d.resolve("loginuid"), uid == 0 ? "4294967295" : Integer.toString(uid));
    StringBuilder cmd = new StringBuilder();
    for (String a : argv) {
      cmd.append(a).append('\0');
    }
    Files.write(d.resolve("cmdline"), cmd.toString().getBytes(StandardCharsets.UTF_8));
    Files.createSymbolicLink(d.resolve("exe"), Path.of(exe));
    Files.createSymbolicLink(d.resolve("cwd"), Path.of("/home/bob"));
    Files.createDirectories(d.resolve("fd"));
    Files.createDirectories(d.resolve("fdinfo"));
    return d;
  }

  private static void fd(Path d, int fd, String target, String octalFlags) throws IOException {
    Files.createSymbolicLink(d.resolve("fd/" + fd), Path.of(target));
    Files.writeString(
        d.resolve("fdinfo/" + fd), "pos:\t7\nflags:\t" + octalFlags + "\nmnt_id:\t25\nino:\t123\n");
  }

  private ProcScan.Result scan(long clock, long minUid) throws IOException {
    return ProcScan.scan(new ProcFs(proc, () -> clock), minUid);
  }

  private static Instant startOf(long ticks) {
    return Instant.ofEpochMilli(BTIME * 1000 + ticks * 10);
  }

  private static List<ProcessStarted> starts(AuditFixture f, int pid) {
    return f.of(ProcessStarted.class).stream()
        .filter(s -> s.process().pid() == pid)
        .collect(Collectors.toList());
  }

  @Test
  void scanSkipsLowUidsAndNonFilesAndParsesOddComms() throws IOException {
    ProcScan.Result r = scan(SCAN_BEFORE_RECORDS, 1000);
    assertEquals(SCAN_BEFORE_RECORDS, r.scannedAtMs());
    List<Integer> pids = r.processes().stream().map(RunningProcess::pid).toList();
    assertEquals(List.of(300, 250), pids, "parents first, uid 0 skipped");
    RunningProcess child = r.processes().get(1);
    assertEquals(300, child.ppid());
    assertEquals(300, child.pgid());
    assertEquals(300, child.sid());
    assertEquals(startOf(6000).toEpochMilli(), child.startMs());
    assertEquals(1001, child.uid());
    assertEquals(1002, child.gid());
    assertEquals(1001L, child.auid());
    assertEquals("/usr/bin/python3", child.exe());
    assertEquals("/home/bob", child.cwd());
    assertEquals(List.of("python3", "-c", "print(1)"), child.argv());
    assertEquals(1, child.files().size(), "pipe, socket and deleted file skipped");
    RunningProcess.OpenFd f = child.files().get(0);
    assertEquals(3, f.fd());
    assertEquals(out.toString(), f.path());
    assertTrue(f.write());
    assertTrue(!f.read());
    assertEquals(Files.getAttribute(out, "unix:ino"), f.inode());

    assertEquals(
        List.of(1, 250, 300),
        scan(SCAN_BEFORE_RECORDS, 0).processes().stream()
            .map(RunningProcess::pid)
            .sorted()
            .toList());
  }

  @Test
  void seededProcessesAreStartedOnceAndTheirWriteFdsGiveAVersion() throws IOException {
    AuditFixture f = new AuditFixture(null, false);
    f.processor.seedRunningProcesses(scan(SCAN_BEFORE_RECORDS, 1000));

    List<ProcessStarted> all = f.of(ProcessStarted.class);
    assertEquals(2, all.size(), all.toString());
    ProcessStarted shell = all.get(0);
    ProcessStarted child = all.get(1);
    assertEquals(new ProcessRef(300, startOf(5000)), shell.process());
    assertNull(shell.parent(), "sshd (uid 0) was not seeded");
    assertEquals(900, shell.ppid());
    assertEquals(new ProcessRef(250, startOf(6000)), child.process());
    assertEquals(shell.process(), child.parent());
    assertEquals("first-seen", child.how());
    assertEquals(300, child.pgid());
    assertEquals(300, child.sid());
    assertEquals("/usr/bin/python3", child.exe());
    assertEquals(List.of("python3", "-c", "print(1)"), child.argv());
    assertEquals("/home/bob", child.cwd());
    assertEquals(1001, child.credentials().uid());
    assertEquals("bob", child.credentials().user());
    assertEquals(1001, child.credentials().auid());
    assertEquals(startOf(6000), f.events.get(1).time());

    f.close(2, 250, 300, 3);
    f.close(3, 250, 300, 4); // the pipe: nothing to report
    f.exitGroup(4, 250, 300, 0).run();

    assertEquals(1, starts(f, 250).size(), "no second start");
    assertEquals(1, starts(f, 300).size());
    List<FileAccess> closes =
        f.of(FileAccess.class).stream()
            .filter(a -> a.op() == FileAccess.Op.CLOSE)
            .collect(Collectors.toList());
    assertEquals(1, closes.size(), closes.toString());
    FileAccess close = closes.get(0);
    assertEquals(child.process(), close.process());
    assertEquals(out.toString(), close.path());
    assertEquals(3, close.fd());
    assertEquals(Boolean.TRUE, close.write());
    assertEquals(Files.getAttribute(out, "unix:ino"), close.inode());
    assertEquals("file", close.objectType());
    List<ProcessExited> exits = f.of(ProcessExited.class);
    assertEquals(1, exits.size());
    assertEquals(child.process(), exits.get(0).process());
    List<String> ids = f.ids();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "unique ids: " + ids);
  }

  @Test
  void exitOfASeededProcessClosesItsWriteFds() throws IOException {
    AuditFixture f = new AuditFixture(null, false);
    f.processor.seedRunningProcesses(scan(SCAN_BEFORE_RECORDS, 1000));
    f.exitGroup(2, 250, 300, 0).run();
    List<FileAccess> closes = f.of(FileAccess.class);
    assertEquals(1, closes.size(), closes.toString());
    assertEquals(out.toString(), closes.get(0).path());
  }

  @Test
  void recordsFromBeforeTheScanDoNotRestartOrCloseWhatTheScanSaw() throws IOException {
    // the plugin read stdin while it scanned: the clone of 250 (serial 2) and its dup2 of the
    // file onto 3 (serial 3) are older than the snapshot, which already shows their effect
    recordsOlderThanTheReadAreAlreadyInIt(scan(1_700_000_000_005L, 1000));
  }

  @Test
  void eachProcessIsAsOfItsOwnReadNotTheScansStart() throws IOException {
    // The scan starts before the clone of 250 (serial 2) and reads 250 after it: the same records
    // are still in what the read saw. Stamped with the scan's start, the clone would end the
    // seeded 250 as a reused pid and start it again.
    long[] clock = {1_700_000_000_000L, 1_700_000_000_005L, 1_700_000_000_006L};
    int[] calls = {0};
    recordsOlderThanTheReadAreAlreadyInIt(
        ProcScan.scan(new ProcFs(proc, () -> clock[Math.min(calls[0]++, clock.length - 1)]), 1000));
  }

  /**
   * 250's clone, its open of the file onto 7, dup2 onto 3 and close of 7, all older than 250's
   * read, then a close of 3 after it: one start, no exit, one write-close (the last record).
   */
  private void recordsOlderThanTheReadAreAlreadyInIt(ProcScan.Result scan) {
    AuditFixture f = new AuditFixture(null, false);
    f.processor.seedRunningProcesses(scan);
    f.fork(2, 300, 900, 250);
    f.openat(3, 250, 300, "/home/bob", out.toString(), "241", 7, false);
    f.dup2(4, 250, 300, 7, 3);
    f.close(5, 250, 300, 7);
    f.close(10, 250, 300, 3).run();

    assertEquals(1, starts(f, 250).size(), "the clone record is the seeded child's own birth");
    assertEquals(0, f.of(ProcessExited.class).size());
    List<FileAccess> closes =
        f.of(FileAccess.class).stream()
            .filter(a -> a.op() == FileAccess.Op.CLOSE)
            .collect(Collectors.toList());
    assertEquals(1, closes.size(), "only the close after the read: " + closes);
    ProvEvent last = f.events.get(f.events.size() - 1);
    assertEquals(closes.get(0), last.data());
  }

  // ---------------------------------------------------------------------------------------------
  // identities saved by an earlier plugin instance

  private static String line(int pid, long procStartMs, Instant ref) {
    return pid + " " + procStartMs + " " + ref.getEpochSecond() + " " + ref.getNano() + "\n";
  }

  private static ProcessStarted startOfPid(AuditFixture f, int pid) {
    List<ProcessStarted> s = starts(f, pid);
    assertEquals(1, s.size(), s.toString());
    return s.get(0);
  }

  @Test
  void savedIdentitiesOfTheSameProcessesAreRestoredAndReusedPidsAreNot() throws IOException {
    Instant shell = Instant.ofEpochSecond(1_699_990_050L, 7_000_000);
    Instant child = Instant.ofEpochSecond(1_699_990_060L, 3_000_000);
    Path state = tmp.resolve("state");
    Files.writeString(
        state,
        line(300, startOf(5000).toEpochMilli(), shell)
            + "garbage\n\n250\n250 x 1 2\n1 2 3 4 5\n-3 1 2 3\n"
            + line(250, startOf(6000).toEpochMilli(), child)
            // pid 1 was another process when this was saved: its start differs
            + line(1, startOf(100).toEpochMilli() + 10, Instant.ofEpochSecond(1_699_990_001L)));
    ProcState.Saved saved = ProcState.load(state);
    assertEquals(3, saved.entries().size(), saved.toString());
    assertEquals(5, saved.skipped(), "blank lines are not counted");

    ProcScan.Result scan = scan(SCAN_BEFORE_RECORDS, 0);
    Map<Integer, Instant> restored = ProcState.restoredStarts(saved.entries(), scan.processes());
    assertEquals(Map.of(300, shell, 250, child), restored);
    AuditFixture f = new AuditFixture(null, false);
    f.processor.seedRunningProcesses(scan, restored);

    assertEquals(new ProcessRef(1, startOf(100)), startOfPid(f, 1).process(), "pid reused");
    assertEquals(new ProcessRef(300, shell), startOfPid(f, 300).process());
    ProcessStarted c = startOfPid(f, 250);
    assertEquals(new ProcessRef(250, child), c.process());
    assertEquals(new ProcessRef(300, shell), c.parent(), "the restored parent");
    ProvEvent ev = f.events.stream().filter(e -> e.data() == c).findFirst().orElseThrow();
    assertEquals(child.toEpochMilli(), ev.time().toEpochMilli());
    assertTrue(ev.id().contains("proc-250-" + child.toEpochMilli()), ev.id());

    // later records of 250 continue under the restored identity
    f.exitGroup(4, 250, 300, 0).run();
    assertEquals(new ProcessRef(250, child), f.of(ProcessExited.class).get(0).process());
  }

  @Test
  void aMissingStateFileIsNoError() throws IOException {
    assertEquals(List.of(), ProcState.load(tmp.resolve("none")).entries());
  }

  @Test
  void aChildKnownFromItsCloneKeepsItsAuditStartAcrossARestart() throws IOException {
    AuditFixture first = new AuditFixture(null, false);
    first.processor.seedRunningProcesses(scan(SCAN_BEFORE_RECORDS, 1000));
    first.fork(2, 250, 300, 260).feed();
    Instant auditStart = Instant.ofEpochMilli(1_700_000_000_002L);
    assertEquals(new ProcessRef(260, auditStart), startOfPid(first, 260).process());
    // /proc shows the child with its own start ticks, which do not give the audit time
    process(260, "kid", 1001, 250, 300, 300, 9_999_990, "/usr/bin/sleep", "sleep", "9");
    assertTrue(startOf(9_999_990).toEpochMilli() != auditStart.toEpochMilli());

    Path state = tmp.resolve("sub/plugin.state");
    Files.createDirectories(state.getParent());
    int written =
        ProcState.save(
            state, first.processor.liveProcessRefs(), new ProcFs(proc, () -> SCAN_BEFORE_RECORDS));
    assertEquals(3, written, Files.readString(state));
    try (var files = Files.list(state.getParent())) {
      assertEquals(List.of(state), files.toList(), "no temporary file left");
    }

    AuditFixture second = new AuditFixture(null, false);
    ProcScan.Result scan = scan(1_700_000_100_000L, 1000);
    second.processor.seedRunningProcesses(
        scan, ProcState.restoredStarts(ProcState.load(state).entries(), scan.processes()));
    ProcessStarted kid = startOfPid(second, 260);
    assertEquals(new ProcessRef(260, auditStart), kid.process());
    assertEquals(new ProcessRef(250, startOf(6000)), kid.parent());
    assertEquals(new ProcessRef(250, startOf(6000)), startOfPid(second, 250).process());
  }
}
