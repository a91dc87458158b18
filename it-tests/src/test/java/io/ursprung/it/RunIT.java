package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ursprung run -- sh -c '...'} under the real auditd of this machine, as a user runs it:
 * a separate process, no master running (so it starts its own on free ports and a temporary data
 * directory). Checks the inputs and outputs it reports, that the command's exit status is returned,
 * and that the audit rules and auditd's running state are exactly as before. Skips, saying why,
 * without root, auditd or kernel audit support.
 */
class RunIT {

  @Test
  void runReportsInputsAndOutputsReturnsTheStatusAndLeavesAuditAsItWas() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root: ursprung run adds audit rules and sets the command's login uid");
    assumeTrue(
        LiveAuditdIT.sh(
                    "sh", "-c", "command -v auditctl && command -v ausearch && command -v auditd")
                .status()
            == 0,
        "auditd is not installed (auditctl, ausearch, auditd)");
    LiveAuditdIT.Result status = LiveAuditdIT.sh("auditctl", "-s");
    assumeTrue(
        status.status() == 0,
        "the kernel has no audit support here (auditctl -s: " + status.out().strip() + ")");

    String rulesBefore = LiveAuditdIT.must("auditctl", "-l").out();
    boolean auditdBefore = LiveAuditdIT.auditdRunning();
    String enabledBefore = enabled(status.out());

    Path work = Files.createTempDirectory("ursprung-run-it-");
    Path dataDir = Files.createTempDirectory("ursprung-run-it-data-");
    // As root the embedded PostgreSQL runs as 'nobody', who must reach its directory.
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      Files.writeString(work.resolve("in.txt"), "b\na\nc\n");
      Files.writeString(work.resolve("config.ini"), "k=v\n");
      Path log = work.resolve("run.log");
      int[] ports = freePorts(3);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  LauncherIT.REPO.resolve("bin/ursprung").toString(),
                  "run",
                  "--api",
                  "http://127.0.0.1:" + ports[0],
                  "--kafka",
                  "127.0.0.1:" + ports[1],
                  "--postgres-port",
                  Integer.toString(ports[2]),
                  "--data-dir",
                  dataDir.toString(),
                  "--",
                  "sh",
                  "-c",
                  "cat config.ini > /dev/null; sort in.txt | tr a-z A-Z > tmp.out;"
                      + " mv tmp.out result.txt; echo scratch > scratch.txt; rm scratch.txt;"
                      + " exit 7"));
      Process p =
          new ProcessBuilder(cmd)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        // A thread dump says where it hung; SIGTERM then restores the audit state.
        String dump = LiveAuditdIT.sh("jcmd", Long.toString(p.pid()), "Thread.print").out();
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
        throw new AssertionError(
            "ursprung run did not finish in 300 s:\n" + Files.readString(log) + "\n" + dump);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);

      assertEquals(7, p.exitValue(), "the command's exit status is returned:\n" + out);
      assertEquals("A\nB\nC\n", Files.readString(work.resolve("result.txt")), out);
      List<String> inputs = section(out, "Inputs");
      List<String> outputs = section(out, "Outputs");
      assertTrue(inputs.contains(work.resolve("in.txt").toString()), "inputs:\n" + out);
      assertTrue(inputs.contains(work.resolve("config.ini").toString()), "inputs:\n" + out);
      assertEquals(List.of(work.resolve("result.txt").toString()), outputs, "outputs:\n" + out);
      assertTrue(out.contains("sort in.txt"), "processes listed:\n" + out);
      assertTrue(out.contains("mv tmp.out result.txt"), "processes listed:\n" + out);
      assertTrue(out.contains("Command exit status: 7"), out);
      assertTrue(out.contains("Graph: http://localhost:"), out);
      assertFalse(out.contains("not yet visible"), "stored before the report:\n" + out);
    } finally {
      delete(work);
      delete(dataDir);
    }
    assertEquals(rulesBefore, LiveAuditdIT.must("auditctl", "-l").out(), "no rule left behind");
    assertEquals(auditdBefore, LiveAuditdIT.auditdRunning(), "auditd's running state restored");
    assertEquals(
        enabledBefore, enabled(LiveAuditdIT.must("auditctl", "-s").out()), "enabled restored");
  }

  @Test
  void withoutAuditdOrRootItSaysWhatIsMissingAndExits2() throws Exception {
    // Run as an unprivileged user: whatever this machine has, root is missing.
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch to nobody");
    LiveAuditdIT.Result r =
        LiveAuditdIT.sh(
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "env",
            "HOME=/tmp",
            LauncherIT.REPO.resolve("bin/ursprung").toString(),
            "run",
            "--",
            "true");
    assertEquals(2, r.status(), r.out());
    assertTrue(r.out().contains("root is needed"), r.out());
    assertTrue(r.out().contains("Nothing was run."), r.out());
  }

  /** The indented lines under "NAME (n):", without the summary of system files. */
  static List<String> section(String out, String name) {
    List<String> lines = new ArrayList<>();
    boolean in = false;
    for (String line : out.split("\n")) {
      if (line.startsWith(name + " (")) {
        in = true;
      } else if (in && line.startsWith("  ") && !line.startsWith("  + ")) {
        lines.add(line.strip());
      } else if (in && !line.startsWith("  ")) {
        break;
      }
    }
    return lines;
  }

  private static String enabled(String status) {
    return status.lines().filter(l -> l.startsWith("enabled ")).findFirst().orElse("?");
  }

  /**
   * {@code n} different free ports: all are held open until the last is chosen (one at a time, the
   * system may offer a port it just handed out again, since nothing is bound to it yet).
   */
  static int[] freePorts(int n) throws java.io.IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  static void delete(Path dir) throws java.io.IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
