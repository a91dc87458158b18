package io.ursprung.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.ProcessStarted;
import io.ursprung.plugin.audit.AuditFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real /proc: a child started here must be found with its program and its open file. */
class ProcFsLiveTest {
  @TempDir Path tmp;

  @Test
  void seedsARunningChildWithItsWriteFd() throws Exception {
    Assumptions.assumeTrue(
        Files.isReadable(Path.of("/proc/self/stat")) && Files.isDirectory(Path.of("/proc/self/fd")),
        "needs Linux's /proc");
    Path target = tmp.resolve("out.txt");
    // "; true" keeps sh from exec'ing sleep as its last command, so the process stays sh
    String script = "exec 3>\"$1\"; sleep 30; true";
    Process child = new ProcessBuilder("sh", "-c", script, "sh", target.toString()).start();
    try {
      long pid = child.pid();
      Path fd3 = Path.of("/proc/" + pid + "/fd/3");
      for (int i = 0; i < 100 && !Files.isSymbolicLink(fd3); i++) {
        Thread.sleep(50);
      }
      assertTrue(Files.isSymbolicLink(fd3), "the child opened fd 3");

      ProcScan.Result scan = ProcScan.scan(new ProcFs(), 0);
      Optional<RunningProcess> found =
          scan.processes().stream().filter(p -> p.pid() == pid).findFirst();
      assertTrue(found.isPresent(), "child " + pid + " seeded");
      RunningProcess p = found.get();
      assertEquals(ProcessHandle.current().pid(), p.ppid());
      assertEquals(Path.of("/bin/sh").toRealPath().toString(), p.exe());
      assertEquals(List.of("sh", "-c", script, "sh", target.toString()), p.argv());
      assertEquals(Path.of("").toRealPath().toString(), p.cwd());
      RunningProcess.OpenFd f =
          p.files().stream().filter(x -> x.fd() == 3).findFirst().orElseThrow();
      assertEquals(target.toRealPath().toString(), f.path());
      assertTrue(f.write());
      assertEquals(Files.getAttribute(target, "unix:ino"), f.inode());
      assertNotNull(f.device());
      long startMs = child.info().startInstant().orElseThrow().toEpochMilli();
      assertTrue(Math.abs(p.startMs() - startMs) < 2000, "start " + p.startMs() + " vs " + startMs);

      // the JVM (its parent) precedes it
      List<Integer> order = scan.processes().stream().map(RunningProcess::pid).toList();
      assertTrue(order.indexOf((int) ProcessHandle.current().pid()) < order.indexOf((int) pid));

      AuditFixture fixture = new AuditFixture(null, false);
      fixture.processor.seedRunningProcesses(scan);
      ProcessStarted s =
          fixture.of(ProcessStarted.class).stream()
              .filter(x -> x.process().pid() == pid)
              .findFirst()
              .orElseThrow();
      assertEquals("first-seen", s.how());
      assertNotNull(s.parent());
      assertEquals(ProcessHandle.current().pid(), s.parent().pid());
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
  }
}
