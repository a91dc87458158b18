package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ursprung.events.FileAccess;
import io.ursprung.events.HostStatus;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The plugin under a real auditd: install auditd if missing, configure the plugin, load the shipped
 * provenance rules, run a small workload as a non-root user, and check the events. The audit rules,
 * the enabled flag, auditd's running state, the plugin configuration and the test user are all
 * restored afterwards, whatever happens. Skips, saying why, where there is no root or no kernel
 * audit support.
 */
class LiveAuditdIT {

  static final Path REPO = LauncherIT.REPO;
  static final Path PLUGIN_CONF = Path.of("/etc/audit/plugins.d/ursprung-it.conf");

  record Result(int status, String out) {}

  static Result sh(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, out + "\n(timed out)");
    }
    return new Result(p.exitValue(), out);
  }

  static Result must(String... cmd) throws IOException, InterruptedException {
    Result r = sh(cmd);
    assertEquals(0, r.status(), String.join(" ", cmd) + " failed:\n" + r.out());
    return r;
  }

  static boolean auditdRunning() throws IOException, InterruptedException {
    return sh("pidof", "auditd").status() == 0;
  }

  @Test
  void realAuditdFeedsThePluginWhileAUserWorks() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to configure auditd and load audit rules");
    if (sh("sh", "-c", "command -v auditctl").status() != 0) {
      Result install =
          sh("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq auditd");
      assumeTrue(
          install.status() == 0, "auditd is not installed and could not be:\n" + install.out());
    }
    Result status = sh("auditctl", "-s");
    assumeTrue(
        status.status() == 0,
        "the kernel has no audit support here (auditctl -s: " + status.out().strip() + ")");
    Path rulesFile = REPO.resolve("deployment/auditd/30-ursprung-provenance.rules");
    assertTrue(Files.isRegularFile(rulesFile), "shipped rules missing: " + rulesFile);

    // Everything this test changes, as it was.
    String savedRules = must("auditctl", "-l").out();
    String enabledBefore =
        status.out().lines().filter(l -> l.startsWith("enabled ")).findFirst().orElse("enabled 0");
    boolean auditdWasRunning = auditdRunning();
    Path work = Files.createTempDirectory("ursprung-live-audit-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    String user = "ursit" + ThreadLocalRandom.current().nextInt(10_000, 99_999);
    boolean userCreated = false;
    try {
      if (auditdWasRunning) {
        must("sh", "-c", "kill -TERM $(pidof auditd)");
        waitUntil(() -> !auditdRunning(), 30);
      }
      must("useradd", "--create-home", "--shell", "/bin/sh", user);
      userCreated = true;
      int uid = Integer.parseInt(must("id", "-u", user).out().strip());

      // The plugin: auditd wants a root-owned program it may execute and nobody else may change.
      Path events = work.resolve("events.jsonl");
      Path launcher = work.resolve("ursprung-plugin-it");
      Files.writeString(
          launcher,
          // A host.status report every second, so that a few arrive during the test.
          // The state file in the test's directory, not the machine's /var/lib/ursprung.
          "#!/bin/sh\nURSPRUNG_PLUGIN_HOST_STATUS_INTERVAL_SECONDS=1 URSPRUNG_PLUGIN_STATE_FILE="
              + work.resolve("plugin.state")
              + " exec "
              + REPO.resolve("bin/ursprung")
              + " plugin --output jsonl:"
              + events
              + " 2>>"
              + work.resolve("plugin.log")
              + "\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-x---"));
      Files.writeString(
          PLUGIN_CONF,
          "active = yes\ndirection = out\npath = "
              + launcher
              + "\ntype = always\nformat = string\n");
      Files.setPosixFilePermissions(PLUGIN_CONF, PosixFilePermissions.fromString("rw-r-----"));

      must("auditctl", "-D");
      must("auditd");
      waitUntil(LiveAuditdIT::auditdRunning, 30);
      must("auditctl", "-R", rulesFile.toString());
      must("auditctl", "-e", "1");
      // Give auditd a moment to start the plugin before the workload runs.
      Thread.sleep(1500);

      // The workload, as the user logged in: set the login uid like a login session would.
      Path home =
          Path.of(must("sh", "-c", "getent passwd " + user + " | cut -d: -f6").out().strip());
      String workload =
          "cd "
              + home
              + " && printf 'b\\na\\nc\\n' > in.txt && sort in.txt | gzip > out.gz"
              + " && mv out.gz final.gz && cat final.gz > /dev/null"
              // a process killed by SIGKILL runs no exit: only the kill (OBJ_PID) tells
              + "; sleep 30 & kill -9 \\$!; wait";
      must(
          "sh",
          "-c",
          "echo "
              + uid
              + " > /proc/self/loginuid && exec runuser -u "
              + user
              + " -- sh -c \""
              + workload
              + "\"");
      Thread.sleep(2500);

      // Stopping auditd closes the plugin's stdin: it flushes and exits.
      must("sh", "-c", "kill -TERM $(pidof auditd)");
      waitUntil(() -> !auditdRunning(), 30);
      waitUntil(
          () ->
              sh("pgrep", "-f", "ursprung-plugin-it|plugin --output jsonl:" + events).status() != 0,
          30);

      List<ProvEvent> all = PluginKafkaIT.readJsonLines(events);
      String log =
          Files.exists(work.resolve("plugin.log"))
              ? Files.readString(work.resolve("plugin.log"))
              : "";
      List<ProvEvent> mine =
          all.stream().filter(e -> touches(e, home.toString()) || byUser(e, uid)).toList();
      assertTrue(!all.isEmpty(), "no events from the live plugin; plugin log:\n" + log);
      assertTrue(
          Files.isRegularFile(work.resolve("plugin.state")),
          "the plugin saves its process identities when it stops; log:\n" + log);

      Set<String> execs =
          all.stream()
              .map(ProvEvent::data)
              .filter(d -> d instanceof ProcessExec)
              .map(d -> String.join(" ", ((ProcessExec) d).argv()))
              .collect(Collectors.toSet());
      assertTrue(execs.contains("sort in.txt"), "exec of sort, got " + execs);
      assertTrue(execs.contains("gzip"), "exec of gzip, got " + execs);
      assertTrue(
          mine.stream()
              .map(ProvEvent::data)
              .anyMatch(
                  d ->
                      d instanceof FileAccess f
                          && f.op() == FileAccess.Op.OPEN
                          && f.path().equals(home + "/in.txt")
                          && Boolean.TRUE.equals(f.write())),
          "in.txt written by the shell");
      assertTrue(
          mine.stream()
              .map(ProvEvent::data)
              .anyMatch(
                  d ->
                      d instanceof FileAccess f
                          && f.op() == FileAccess.Op.RENAME
                          && f.path().equals(home + "/out.gz")
                          && (home + "/final.gz").equals(f.targetPath())),
          "rename out.gz -> final.gz");
      assertTrue(
          all.stream().map(ProvEvent::data).anyMatch(d -> d instanceof Ipc),
          "the pipe sort | gzip");
      assertTrue(
          all.stream().map(ProvEvent::data).anyMatch(d -> d instanceof ProcessStarted),
          "processes announced at start");
      List<Ipc> signals =
          all.stream()
              .map(ProvEvent::data)
              .filter(d -> d instanceof Ipc i && i.kind().equals("signal"))
              .map(d -> (Ipc) d)
              .toList();
      assertTrue(
          signals.stream().anyMatch(i -> "SIGKILL".equals(i.channel())),
          "the shell's kill -9 of sleep, got " + signals);
      Ipc kill = signals.stream().filter(i -> "SIGKILL".equals(i.channel())).findFirst().get();
      assertTrue(
          all.stream()
              .map(ProvEvent::data)
              .anyMatch(
                  d ->
                      d instanceof ProcessExited x
                          && x.process().equals(kill.reader())
                          && "killed".equals(x.how())
                          && Integer.valueOf(9).equals(x.signal())),
          "the killed sleep ends, by signal 9");

      // The live plugin reports the kernel's audit status: as root under a kernel that answered
      // auditctl -s, with numbers; the report is the host's, stamped with its name.
      List<ProvEvent> reports = all.stream().filter(e -> e.data() instanceof HostStatus).toList();
      assertTrue(!reports.isEmpty(), "no host.status from the live plugin; log:\n" + log);
      HostStatus last = (HostStatus) reports.get(reports.size() - 1).data();
      System.out.println("LiveAuditdIT: " + reports.size() + " host.status reports, last " + last);
      assertTrue(
          last.kernel().available(),
          "the plugin could not read the kernel status: " + last.kernel().reason());
      assertTrue(last.kernel().lost() >= 0 && last.kernel().backlogLimit() > 0, last.toString());
      assertTrue(last.counters().eventsPublished() > 0, last.toString());
    } finally {
      // Restore, in reverse order, and keep going if one step fails.
      sh("sh", "-c", "pidof auditd >/dev/null && kill -TERM $(pidof auditd)");
      waitUntil(() -> !auditdRunning(), 30);
      Files.deleteIfExists(PLUGIN_CONF);
      sh("auditctl", "-D");
      if (!savedRules.contains("No rules")) {
        Path saved = work.resolve("saved.rules");
        Files.writeString(saved, savedRules);
        sh("auditctl", "-R", saved.toString());
      }
      sh("auditctl", "-e", enabledBefore.replace("enabled ", "").strip());
      if (auditdWasRunning) {
        sh("auditd");
      }
      if (userCreated) {
        sh("userdel", "--remove", user);
      }
      sh("rm", "-rf", work.toString());
    }
    assertEquals(savedRules, must("auditctl", "-l").out(), "audit rules restored");
  }

  private static boolean touches(ProvEvent e, String dir) {
    return e.data() instanceof FileAccess f && f.path().startsWith(dir);
  }

  private static boolean byUser(ProvEvent e, int uid) {
    return e.data() instanceof ProcessExec x
        && x.credentials() != null
        && Integer.valueOf(uid).equals(x.credentials().uid());
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitUntil(Check check, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(200);
    }
  }
}
