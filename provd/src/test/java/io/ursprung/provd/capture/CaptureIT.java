package io.ursprung.provd.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ursprung.provd.control.ControlServer;
import io.ursprung.provd.control.ProvdClient;
import io.ursprung.provd.control.ProvdException;
import io.ursprung.provd.control.ReplayGuard;
import io.ursprung.provd.control.RequestAuth;
import io.ursprung.provd.nativeaccess.LinuxNative;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stdout capture of real Python processes through the real control port, as root.
 *
 * <p>The traced program is started by a shell, not by this JVM: a tracer thread and the JDK's
 * process reaper in one process would compete for the tracee's wait status, which never happens in
 * provd (it traces processes it did not start). The shell also records the program's exit status,
 * so the test can check it is unchanged.
 */
class CaptureIT {
  private static final byte[] SECRET =
      "capture-it-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  private static final int STEPS = 40;

  @TempDir Path dir;
  private CaptureManager captures;
  private ControlServer server;
  private ProvdClient client;
  private final ProcFs proc = new ProcFs();

  @BeforeAll
  static void requirements() throws Exception {
    assumeTrue(
        System.getProperty("os.name").toLowerCase().contains("linux"), "needs Linux (ptrace)");
    assumeTrue("amd64".equals(System.getProperty("os.arch")), "ptrace capture is x86_64 only");
    assumeTrue(
        "0"
            .equals(
                new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                    .trim()),
        "needs root (CAP_SYS_PTRACE)");
    assumeTrue(LinuxNative.load().available(), "libc cannot be bound with jnr-ffi");
    assumeTrue(
        new ProcFs().yamaPtraceScope().orElse(0) < 3, "kernel.yama.ptrace_scope=3 forbids ptrace");
    assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "needs python3");
  }

  @BeforeEach
  void start() throws Exception {
    captures = new CaptureManager(LinuxNative.load(), proc, CaptureLimits.defaults());
    server =
        new ControlServer(
            new InetSocketAddress("127.0.0.1", 0),
            captures,
            new RequestAuth(SECRET),
            new ReplayGuard(30_000, 1000),
            8,
            5000);
    client = new ProvdClient("127.0.0.1", server.port(), SECRET);
  }

  @AfterEach
  void stop() {
    server.close();
    captures.close();
  }

  /** A running program: its pid and where its output and exit status end up. */
  private record Job(Process shell, int pid, Path out, Path status) {
    String output() throws Exception {
      return Files.readString(out);
    }

    int exitStatus() throws Exception {
      assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "program finished");
      return Integer.parseInt(Files.readString(status).trim());
    }
  }

  private Job launch(boolean pipe, int steps, double delay) throws Exception {
    Path script = dir.resolve("metrics_writer.py");
    try (InputStream in = getClass().getResourceAsStream("/metrics_writer.py")) {
      Files.write(script, in.readAllBytes());
    }
    Path pidFile = dir.resolve("pid");
    Files.deleteIfExists(pidFile);
    Path out = dir.resolve("out.txt");
    Path status = dir.resolve("status.txt");
    String run = "python3 -u " + script + " " + pidFile + " " + steps + " " + delay;
    // $1.. are passed as arguments, so no path is ever parsed by the shell as code.
    String cmd =
        pipe
            ? "python3 -u \"$1\" \"$2\" \"$3\" \"$4\" | cat > \"$5\"; echo \"${PIPESTATUS[0]}\" > \"$6\""
            : "python3 -u \"$1\" \"$2\" \"$3\" \"$4\" > \"$5\"; echo \"$?\" > \"$6\"";
    Process shell =
        new ProcessBuilder(
                "bash",
                "-c",
                cmd,
                "bash",
                script.toString(),
                pidFile.toString(),
                Integer.toString(steps),
                Double.toString(delay),
                out.toString(),
                status.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("shell.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(pidFile)) {
      assertTrue(System.nanoTime() < deadline, "the program wrote its pid: " + run);
      Thread.sleep(20);
    }
    return new Job(shell, Integer.parseInt(Files.readString(pidFile).trim()), out, status);
  }

  private static String expectedOutput(int steps, int signals) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < steps; i++) {
      sb.append("METRIC step=" + i + " loss=" + (1000 / (i + 1)) + "\n");
      sb.append("chatter ").append(i).append('\n');
    }
    return sb.toString();
  }

  @Test
  void capturesMetricLinesFromAPipeWithoutChangingOutputOrExitStatus() throws Exception {
    Job job = launch(true, STEPS, 0.05);
    List<String> lines = new ArrayList<>();
    String reason;
    try (ProvdClient.Capture c = client.capture(job.pid(), "METRIC .*")) {
      assertEquals("ptrace", c.mode());
      for (var l = c.next(); l != null; l = c.next()) {
        assertEquals(job.pid(), l.pid());
        assertEquals(1, l.fd());
        lines.add(l.text());
      }
      reason = c.endReason();
    }
    assertEquals("process exited", reason);
    assertEquals(7, job.exitStatus(), "exit status unchanged");
    assertEquals(expectedOutput(STEPS, 0), job.output(), "output unchanged");
    assertTrue(lines.size() >= STEPS / 2, "most METRIC lines captured: " + lines);
    // Captured lines are exactly the tail of the program's METRIC lines, in order.
    List<String> metric = job.output().lines().filter(s -> s.startsWith("METRIC ")).toList();
    assertEquals(metric.subList(metric.size() - lines.size(), metric.size()), lines);
    assertEquals(0, proc.tracerPid(job.pid()).orElse(0));
  }

  @Test
  void capturesMetricLinesFromAFileByFollowingIt() throws Exception {
    Job job = launch(false, STEPS, 0.05);
    List<String> lines = new ArrayList<>();
    String reason;
    try (ProvdClient.Capture c = client.capture(job.pid(), "METRIC .*")) {
      assertEquals("file", c.mode());
      for (var l = c.next(); l != null; l = c.next()) {
        lines.add(l.text());
      }
      reason = c.endReason();
    }
    assertEquals("process exited", reason);
    assertEquals(7, job.exitStatus());
    assertEquals(expectedOutput(STEPS, 0), job.output());
    List<String> metric = job.output().lines().filter(s -> s.startsWith("METRIC ")).toList();
    assertTrue(lines.size() >= STEPS / 2, "lines captured: " + lines);
    assertEquals(metric.subList(metric.size() - lines.size(), metric.size()), lines);
  }

  @Test
  void signalsStillReachTheTracedProgram() throws Exception {
    Job job = launch(true, 30, 0.05);
    List<String> lines = new ArrayList<>();
    try (ProvdClient.Capture c = client.capture(job.pid(), "METRIC signal.*")) {
      Thread.sleep(300);
      assertEquals(
          0, new ProcessBuilder("kill", "-USR1", Integer.toString(job.pid())).start().waitFor());
      for (var l = c.next(); l != null; l = c.next()) {
        lines.add(l.text());
      }
    }
    assertEquals(List.of("METRIC signal=USR1"), lines);
    assertEquals(7, job.exitStatus());
    assertTrue(job.output().contains("METRIC signal=USR1\n"));
  }

  @Test
  void stoppingMidRunDetachesAndTheProgramRunsOnNormally() throws Exception {
    Job job = launch(true, 60, 0.05);
    List<String> lines = new ArrayList<>();
    try (ProvdClient.Capture c = client.capture(job.pid(), "METRIC .*")) {
      for (int i = 0; i < 3; i++) {
        lines.add(c.next().text());
      }
      assertEquals(1, client.status().size());
      assertTrue(proc.tracerPid(job.pid()).orElse(0) != 0, "traced while capturing");
      assertTrue(client.stop(job.pid()));
      while (c.next() != null) {
        // drain until the end message
      }
      assertEquals("stopped by request", c.endReason());
    }
    waitUntilUntraced(job.pid());
    assertTrue(proc.alive(job.pid(), proc.startTicks(job.pid()).getAsLong()), "still running");
    assertTrue(client.status().isEmpty());
    assertEquals(7, job.exitStatus());
    assertEquals(expectedOutput(60, 0), job.output());
    assertEquals(3, lines.size());
  }

  @Test
  void hangingUpReleasesTheTracee() throws Exception {
    Job job = launch(true, 40, 0.05);
    try (ProvdClient.Capture c = client.capture(job.pid(), "METRIC .*")) {
      c.next();
    }
    waitUntilUntraced(job.pid());
    assertEquals(7, job.exitStatus());
    assertEquals(expectedOutput(40, 0), job.output());
  }

  @Test
  void anUnauthenticatedRequestIsRefusedAndNothingIsTraced() throws Exception {
    Job job = launch(true, 20, 0.05);
    ProvdClient intruder =
        new ProvdClient(
            "127.0.0.1",
            server.port(),
            "not-the-secret-0123456789".getBytes(StandardCharsets.UTF_8));
    ProvdException e =
        assertThrows(ProvdException.class, () -> intruder.capture(job.pid(), "METRIC .*"));
    assertTrue(e.refused());
    assertEquals("authentication failed", e.getMessage());
    assertEquals(0, proc.tracerPid(job.pid()).orElse(0));
    assertFalse(captures.counts().get("ptrace") > 0);
    assertEquals(1, server.authFailures.get());
    assertEquals(7, job.exitStatus());
  }

  @Test
  void theTraceeCapIsEnforcedWithAReason() throws Exception {
    captures.close();
    server.close();
    captures =
        new CaptureManager(LinuxNative.load(), proc, new CaptureLimits(0, 64, 50, 10, 65536, 100));
    server =
        new ControlServer(
            new InetSocketAddress("127.0.0.1", 0),
            captures,
            new RequestAuth(SECRET),
            new ReplayGuard(30_000, 1000),
            8,
            5000);
    client = new ProvdClient("127.0.0.1", server.port(), SECRET);
    Job job = launch(true, 10, 0.05);
    ProvdException e =
        assertThrows(ProvdException.class, () -> client.capture(job.pid(), "METRIC .*"));
    assertTrue(e.getMessage().contains("max.tracees"), e.getMessage());
    assertEquals(7, job.exitStatus());
  }

  private void waitUntilUntraced(int pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (proc.tracerPid(pid).orElse(0) != 0) {
      assertTrue(System.nanoTime() < deadline, "pid " + pid + " detached");
      Thread.sleep(20);
    }
  }
}
