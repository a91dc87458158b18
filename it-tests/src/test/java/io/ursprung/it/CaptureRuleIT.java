package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static io.ursprung.it.ConsumerHarness.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ursprung.consumer.rules.RuleEngine;
import io.ursprung.consumer.rules.RuleSettings;
import io.ursprung.provd.capture.CaptureLimits;
import io.ursprung.provd.capture.CaptureManager;
import io.ursprung.provd.capture.ProcFs;
import io.ursprung.provd.control.ControlServer;
import io.ursprung.provd.control.ReplayGuard;
import io.ursprung.provd.control.RequestAuth;
import io.ursprung.provd.nativeaccess.LinuxNative;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * CAPTURESOUT end to end against a real provd (its control server and ptrace capture, in this JVM):
 * a process.exec event of a training script makes the engine ask provd to capture the script's
 * stdout; the matching lines become rows. ptrace needs root, Linux on x86_64 and python3; the test
 * is skipped with the reason otherwise.
 */
@ExtendWith(PostgresExtension.class)
class CaptureRuleIT {
  static final byte[] SECRET = "capture-rule-it-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  @TempDir Path dir;

  static void assumeCanTrace() throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs Linux");
    assumeTrue("amd64".equals(System.getProperty("os.arch")), "ptrace capture is x86_64 only");
    assumeTrue(
        "0"
            .equals(
                new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                    .trim()),
        "needs root (CAP_SYS_PTRACE) for provd's ptrace capture");
    assumeTrue(LinuxNative.load().available(), "libc cannot be bound with jnr-ffi");
    assumeTrue(
        new ProcFs().yamaPtraceScope().orElse(0) < 3, "kernel.yama.ptrace_scope=3 forbids ptrace");
    assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "needs python3");
  }

  @Test
  void stdoutLinesOfTheTriggeringProcessBecomeRows(TestDatabase db) throws Exception {
    assumeCanTrace();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE stdout_metrics (host text, pid integer, epoch integer, loss double"
              + " precision)");
    }
    Path secret = dir.resolve("provd.secret");
    Files.write(secret, SECRET);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path script = dir.resolve("train_it.py");
    Files.writeString(
        script,
        "import os, sys, time\n"
            + "open(sys.argv[1] + '.tmp', 'w').write(str(os.getpid()))\n"
            + "os.rename(sys.argv[1] + '.tmp', sys.argv[1])\n"
            + "time.sleep(2)\n"
            + "for i in range(5):\n"
            + "    print('epoch %d loss %.3f' % (i, 1.0 / (i + 1)), flush=True)\n"
            + "    print('chatter', flush=True)\n"
            + "    time.sleep(0.2)\n");
    Path rules = dir.resolve("capture.rules");
    Files.writeString(
        rules,
        "type = process.exec && argv @ \".*train_it\\.py.*\" \\\n"
            + "  -> CAPTURESOUT MATCH \"epoch \\d+ loss [0-9.]+\" FIELDS host, pid, 1, 3"
            + " DELIM \" \" \\\n"
            + "     INTO DB prov USING stdout_metrics/host,pid,epoch,loss\n");

    try (CaptureManager captures =
            new CaptureManager(LinuxNative.load(), new ProcFs(), CaptureLimits.defaults());
        ControlServer server =
            new ControlServer(
                new InetSocketAddress("127.0.0.1", 0),
                captures,
                new RequestAuth(SECRET),
                new ReplayGuard(30_000, 1000),
                8,
                5000)) {
      RuleSettings settings =
          RuleSettings.of(
                  rules,
                  Map.of(
                      "prov",
                      new RuleSettings.DbAlias("prov", db.jdbcUrl(), db.user(), db.password())),
                  dir.resolve("repo"))
              .withProvd(secret, 1, Map.of("worker7", "127.0.0.1:" + server.port()));
      try (RuleEngine engine = RuleEngine.start(settings, db.jdbcUrl(), db.user(), db.password())) {
        Path pidFile = dir.resolve("pid");
        Path out = dir.resolve("out.txt");
        // A pipe on stdout, as under a workflow engine: provd captures through ptrace.
        Process shell =
            new ProcessBuilder(
                    "bash",
                    "-c",
                    "python3 -u \"$1\" \"$2\" | cat > \"$3\"",
                    "bash",
                    script.toString(),
                    pidFile.toString(),
                    out.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("shell.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(pidFile)) {
          assertTrue(System.nanoTime() < deadline, "the script wrote its pid");
          Thread.sleep(20);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("type", "process.exec");
        exec.put("id", "exec-1");
        exec.put("host", "worker7");
        exec.put("pid", pid);
        exec.put("exe", "/usr/bin/python3");
        exec.put("argv", "python3 -u " + script + " " + pidFile);
        assertEquals(1, engine.submit(exec, "worker7", Instant.now()));
        assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the script finished");
        await(
            "the capture finished",
            Duration.ofSeconds(60),
            () -> count(db, "SELECT count(*) FROM rule_work WHERE status = 'done'") == 1);
        assertEquals(
            List.of(
                List.of("worker7", Long.toString(pid), "0", "1"),
                List.of("worker7", Long.toString(pid), "1", "0.5"),
                List.of("worker7", Long.toString(pid), "2", "0.333"),
                List.of("worker7", Long.toString(pid), "3", "0.25"),
                List.of("worker7", Long.toString(pid), "4", "0.2")),
            rows(
                db,
                "SELECT host, pid::text, epoch::text, loss::text FROM stdout_metrics ORDER BY"
                    + " epoch"));
        // provd only listened: the script's own output is complete.
        assertEquals(10, Files.readAllLines(out).size());
      }
    }
  }
}
