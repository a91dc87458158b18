package io.ursprung.cli;

import com.sun.security.auth.module.UnixSystem;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.nativeaccess.NativeOs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung run -- CMD ARGS}: captures the provenance of one command on this machine.
 *
 * <p>How: the command is started through a small shell that gives itself a fresh audit session
 * (writing {@code /proc/self/loginuid} makes the kernel assign a new session id, inherited by every
 * descendant) and then stops itself. While it is stopped, temporary audit rules scoped to that
 * session ({@link RunRules}) are added, audit is enabled and auditd started if needed; then the
 * shell is continued and execs the command with the user's terminal. Nothing else on the machine is
 * captured, and the command's process tree is captured from its first exec on. Afterwards the
 * session's records are read back with {@code ausearch}, run through the plugin's processing into
 * the master's Kafka (the real pipeline), and the report is printed from the same events.
 *
 * <p>Everything changed is put back — the rules deleted by their own key, the enabled flag and
 * auditd's running state restored — in a finally block and in a shutdown hook, so also on Ctrl-C or
 * SIGTERM. While the command runs, Ctrl-C goes to the command (as with a shell's foreground job):
 * the capture then ends normally with the command.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Capture the provenance of one command on this machine (root, Linux audit):",
      "  sudo bin/ursprung run -- python3 train.py data.csv",
      "Prints its inputs, outputs and processes and a link to the graph.",
      "Exits with the command's status; 2 when capturing is not possible here (saying why)."
    })
public final class RunCommand implements Callable<Integer> {

  /** Exit status when the capture cannot be set up (nothing was run). */
  static final int EXIT_CANNOT_CAPTURE = 2;

  /** Audit's "no session" / "no login uid" value. */
  private static final long UNSET = 4294967295L;

  /**
   * The starter. Writing loginuid gives a new session id; SIGSTOP lets us add the rules for it
   * before anything of the command runs; the variable is removed so the command never sees it.
   */
  static final String STARTER =
      "echo \"$URSPRUNG_LOGIN_UID\" > /proc/self/loginuid || exit 125;"
          + " unset URSPRUNG_LOGIN_UID; kill -STOP $$; exec \"$@\"";

  @Spec CommandSpec spec;

  @Option(
      names = "--api",
      defaultValue = "http://127.0.0.1:3000",
      description =
          "The master's API (default: ${DEFAULT-VALUE}). When none answers there, a master is"
              + " started in this process for the duration of the run.")
  String api;

  @Option(
      names = "--kafka",
      defaultValue = "127.0.0.1:9092",
      description = "The master's Kafka (default: ${DEFAULT-VALUE}).")
  String kafka;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory of a master started here (default: the one of 'up').")
  Path dataDir;

  @Option(
      names = "--postgres-port",
      defaultValue = "5433",
      description = "Port of the embedded PostgreSQL of a master started here (default: 5433).")
  int postgresPort;

  @Option(names = "--all", description = "Also list system files (programs, libraries, /etc).")
  boolean all;

  @Parameters(
      paramLabel = "CMD",
      arity = "1..*",
      description = "The command and its arguments, after --.")
  List<String> command;

  private PrintWriter err;
  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    err = spec.commandLine().getErr();
    out = spec.commandLine().getOut();
    List<String> problems = new ArrayList<>();
    AuditTools tools = preflight(problems);
    if (!problems.isEmpty()) {
      err.println("ursprung run: cannot capture on this machine:");
      problems.forEach(p -> err.println("  - " + p));
      err.println("Nothing was run.");
      err.flush();
      return EXIT_CANNOT_CAPTURE;
    }

    ProcessBuilder pb = new ProcessBuilder();
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", STARTER, "sh"));
    argv.addAll(command);
    pb.command(argv).inheritIO();
    pb.environment().put("URSPRUNG_LOGIN_UID", Long.toString(loginUid()));
    Process child = pb.start();
    long pid = child.pid();

    TemporaryAuditCapture capture = new TemporaryAuditCapture(tools);
    Cleanup cleanup = new Cleanup(capture, child);
    Thread hook = new Thread(cleanup::run, "ursprung-run-restore");
    Runtime.getRuntime().addShutdownHook(hook);
    Object previousInt = ignoreInterruptWhile(child);

    int status;
    long session;
    long startMillis;
    try {
      if (!waitUntilStopped(pid, child)) {
        err.println(
            "ursprung run: could not give the command an audit session of its own"
                + " (writing /proc/self/loginuid failed; see above). Nothing was captured.");
        return EXIT_CANNOT_CAPTURE;
      }
      session = Long.parseLong(Files.readString(Path.of("/proc/" + pid + "/sessionid")).strip());
      if (session == UNSET || session == ownSession()) {
        err.println(
            "ursprung run: the command did not get an audit session of its own (session "
                + session
                + "). Nothing was captured.");
        return EXIT_CANNOT_CAPTURE;
      }
      try {
        capture.install(session, System.getProperty("os.arch"));
      } catch (IOException e) {
        err.println("ursprung run: cannot set up the capture: " + e.getMessage());
        return EXIT_CANNOT_CAPTURE;
      }
      // The kernel stamps records with a coarse clock: allow a little before this moment.
      startMillis = System.currentTimeMillis() - 1000;
      cleanup.continued = true;
      AuditTools.exec(List.of("/bin/sh", "-c", "kill -CONT \"$1\"", "sh", Long.toString(pid)), 10);
      status = child.waitFor();
      byte[] records = collect(tools, session, pid, startMillis);
      capture.close(); // before the slow part: the rules are not needed any more
      return afterRun(records, pid, status);
    } finally {
      cleanup.run();
      restoreInterrupt(previousInt);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs (and finds nothing left to do)
      }
    }
  }

  /** Everything that prevents a capture here, in words a user can act on. */
  private AuditTools preflight(List<String> problems) {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      problems.add("Linux is needed (Linux audit); this is " + System.getProperty("os.name"));
      return null;
    }
    if (new UnixSystem().getUid() != 0) {
      problems.add(
          "root is needed: audit rules can only be added by root, and the command must get its own"
              + " audit session (try: sudo bin/ursprung run -- ...)");
    }
    List<String> missing = new ArrayList<>();
    AuditTools tools = AuditTools.find(missing);
    if (tools == null) {
      problems.add(
          "auditd is not installed (missing: "
              + String.join(", ", missing)
              + "); install it with 'apt-get install auditd' or 'dnf install audit'");
      return null;
    }
    if (!problems.isEmpty()) {
      return tools; // without root auditctl -s says nothing more useful
    }
    AuditTools.Result s = tools.auditctl("-s");
    if (!s.ok()) {
      problems.add(
          "the kernel's audit support is not available here (auditctl -s: "
              + s.out().strip()
              + "); a kernel without CONFIG_AUDIT, or a container without CAP_AUDIT_CONTROL");
      return tools;
    }
    if ("2".equals(AuditTools.statusField(s.out(), "enabled"))) {
      problems.add("the audit configuration is locked (enabled 2) until the next reboot");
    }
    if ("1".equals(AuditTools.statusField(s.out(), "loginuid_immutable"))) {
      problems.add(
          "login uids are immutable (loginuid_immutable 1): the command cannot get an audit"
              + " session of its own");
    }
    return tools;
  }

  /** The user behind sudo, so the graph shows who ran it; root itself otherwise. */
  private static long loginUid() {
    String sudo = System.getenv("SUDO_UID");
    if (sudo != null && sudo.matches("\\d{1,10}") && Long.parseLong(sudo) < UNSET) {
      return Long.parseLong(sudo);
    }
    return new UnixSystem().getUid();
  }

  private static long ownSession() {
    try {
      return Long.parseLong(Files.readString(Path.of("/proc/self/sessionid")).strip());
    } catch (IOException | NumberFormatException e) {
      return UNSET;
    }
  }

  /** Waits for the starter to stop itself (state T); false when it ended instead. */
  private static boolean waitUntilStopped(long pid, Process child) throws InterruptedException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        return false;
      }
      try {
        String s = Files.readString(stat);
        // The state follows the command name, which is in parentheses and may contain anything.
        int close = s.lastIndexOf(')');
        if (close > 0 && close + 2 < s.length() && s.charAt(close + 2) == 'T') {
          return true;
        }
      } catch (IOException e) {
        return false;
      }
      Thread.sleep(5);
    }
    return false;
  }

  private static final Pattern STAMP = Pattern.compile("msg=audit\\((\\d+)\\.(\\d{3}):");

  /**
   * The session's records from the audit log. auditd writes asynchronously, so this waits until the
   * command's own exit appears (or a few seconds pass: a process killed by a signal has no exit
   * record), then reads once more. Records from before this run (a session id used before the last
   * reboot) are dropped by time.
   */
  private byte[] collect(AuditTools tools, long session, long pid, long startMillis)
      throws InterruptedException {
    String exitMark = " pid=" + pid + " ";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    byte[] raw = ausearch(tools, session);
    while (System.nanoTime() < deadline && !hasExit(raw, exitMark)) {
      Thread.sleep(250);
      raw = ausearch(tools, session);
    }
    Thread.sleep(300);
    raw = ausearch(tools, session);
    ByteArrayOutputStream kept = new ByteArrayOutputStream(raw.length);
    int start = 0;
    for (int i = 0; i <= raw.length; i++) {
      if (i == raw.length || raw[i] == '\n') {
        if (i > start) {
          String head =
              new String(raw, start, Math.min(i - start, 200), StandardCharsets.ISO_8859_1);
          Matcher m = STAMP.matcher(head);
          if (!m.find()
              || Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)) >= startMillis) {
            kept.write(raw, start, i - start);
            kept.write('\n');
          }
        }
        start = i + 1;
      }
    }
    return kept.toByteArray();
  }

  private static boolean hasExit(byte[] raw, String pidMark) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    for (String line : text.split("\n")) {
      // syscall 231 is exit_group on x86_64, 94 on aarch64; the record names the pid.
      if (line.startsWith("type=SYSCALL")
          && line.contains(pidMark)
          && (line.contains(" syscall=231 ") || line.contains(" syscall=94 "))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] ausearch(AuditTools tools, long session) {
    try {
      Process p =
          new ProcessBuilder(
                  tools.ausearch.toString(), "--raw", "--input-logs", "-k", RunRules.key(session))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return new byte[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new byte[0];
    }
  }

  /** Into the pipeline, wait until stored, report. */
  private int afterRun(byte[] records, long pid, int status) throws Exception {
    out.flush();
    if (records.length == 0) {
      err.println(
          "ursprung run: no audit records were found for the command (is write_logs = no in"
              + " auditd.conf?). Command exit status: "
              + status);
      err.flush();
      return status;
    }
    String host = CaptureReplay.localHost();
    MasterApi existing = new MasterApi(api, existingToken());
    Master master = null;
    Thread masterHook = null;
    try {
      String bootstrap = kafka;
      MasterApi apiClient = existing;
      if (!existing.healthy()) {
        err.println(
            "ursprung run: no master answers at "
                + api
                + "; starting one in this process for the report (takes a little while) ...");
        err.flush();
        URIParts u = URIParts.of(api);
        Path dir = dataDir == null ? Master.defaultDataDir() : dataDir;
        master =
            Master.start(
                new Master.Options(
                    dir,
                    u.port,
                    URIParts.of("http://" + kafka).port,
                    "127.0.0.1",
                    postgresPort,
                    System.getenv("URSPRUNG_DB_URL"),
                    envOr("URSPRUNG_DB_USER", "postgres"),
                    System.getenv("URSPRUNG_DB_PASSWORD")));
        Master m = master;
        masterHook = new Thread(m::close, "ursprung-run-master-stop");
        Runtime.getRuntime().addShutdownHook(masterHook);
        bootstrap = master.kafkaBootstrap();
        apiClient = new MasterApi(api, master.login().adminToken());
      }
      CaptureReplay.Outcome sent =
          CaptureReplay.replay(records, host, "ursprung-run", bootstrap, names(true), names(false));
      if (sent.undelivered() > 0) {
        err.println(
            "ursprung run: "
                + sent.undelivered()
                + " of "
                + sent.stats().accepted()
                + " events could not be delivered to Kafka at "
                + bootstrap
                + "; the report below is from the capture, the graph lacks them.");
      }
      RunReport report = RunReport.of(sent.events());
      String rootId = rootProcessId(sent.events(), host, pid);
      boolean stored = false;
      if (rootId != null && apiClient.hasToken()) {
        stored = waitStored(apiClient, rootId);
      }
      out.println();
      out.println("ursprung run: captured " + sent.events().size() + " events.");
      out.print(
          report.format(
              pid,
              status,
              all,
              rootId == null
                  ? null
                  : apiClient.graphLink(rootId).replace("127.0.0.1", "localhost")));
      if (!apiClient.hasToken()) {
        out.println(
            "(Sent to the master's Kafka; not confirmed stored: no API token. Set"
                + " URSPRUNG_ADMIN_TOKEN to let run check.)");
      } else if (!stored) {
        out.println("(Sent to the master's Kafka; not yet visible in the API after 60 s.)");
      }
      if (master != null) {
        out.println(
            "The master started for this run stops now; the capture is stored. Browse it with:"
                + " bin/ursprung up"
                + (dataDir == null ? "" : " --data-dir " + dataDir)
                + "   (sign in as "
                + master.login().user()
                + " / "
                + master.login().password()
                + ")");
      }
      out.flush();
      return status;
    } finally {
      if (master != null) {
        master.close();
        try {
          Runtime.getRuntime().removeShutdownHook(masterHook);
        } catch (IllegalStateException e) {
          // shutting down: the hook closes it (a second close does nothing)
        }
      }
    }
  }

  /** A token for an already running master: the environment, or the default data dir's file. */
  private String existingToken() {
    String env = System.getenv("URSPRUNG_ADMIN_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    Path dir = dataDir == null ? Master.defaultDataDir() : dataDir;
    try {
      return Files.readString(dir.resolve("admin-token")).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean waitStored(MasterApi api, String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (api.processStoredWithEnd(id)) {
          return true;
        }
      } catch (IOException e) {
        // not answering for a moment: try again
      }
      Thread.sleep(300);
    }
    return false;
  }

  /** The graph id of the command's first process (the shell that exec'd it keeps the pid). */
  private static String rootProcessId(List<ProvEvent> events, String host, long pid) {
    for (ProvEvent e : events) {
      if (e.data() instanceof ProcessExec x && x.process().pid() == pid) {
        ProcessRef ref = x.process();
        return MasterApi.processId(e.host() == null ? host : e.host(), ref.pid(), ref.start());
      }
    }
    return null;
  }

  private static IntFunction<String> names(boolean users) {
    NativeOs os = NativeOs.load();
    Map<Integer, String> cache = new HashMap<>();
    return id ->
        cache.computeIfAbsent(id, k -> (users ? os.userName(k) : os.groupName(k)).orElse(null));
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Host and port of a URL or host:port. */
  record URIParts(String host, int port) {
    static URIParts of(String url) {
      java.net.URI u = java.net.URI.create(url);
      int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
      return new URIParts(u.getHost(), port);
    }
  }

  /**
   * Puts things back exactly once, from the finally block or the shutdown hook, whichever comes
   * first. A command that was never continued is killed: a stopped orphan would wait forever.
   */
  private static final class Cleanup {
    private final TemporaryAuditCapture capture;
    private final Process child;
    volatile boolean continued;

    Cleanup(TemporaryAuditCapture capture, Process child) {
      this.capture = capture;
      this.child = child;
    }

    synchronized void run() {
      if (!continued && child.isAlive()) {
        child.destroyForcibly();
      }
      capture.close();
    }
  }

  /**
   * While the command runs, Ctrl-C is the command's business (the terminal sends it to both of us):
   * like a shell waiting for a foreground job, we let it handle it and report afterwards. After the
   * command has ended, Ctrl-C stops us as usual (status 130, through the shutdown hook).
   */
  private static Object ignoreInterruptWhile(Process child) {
    try {
      return sun.misc.Signal.handle(
          new sun.misc.Signal("INT"),
          sig -> {
            if (!child.isAlive()) {
              System.exit(130);
            }
          });
    } catch (IllegalArgumentException e) {
      return null; // -Xrs or no SIGINT: the default stays, and the shutdown hook still restores
    }
  }

  private static void restoreInterrupt(Object previous) {
    if (previous instanceof sun.misc.SignalHandler h) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
      } catch (IllegalArgumentException e) {
        // nothing to restore
      }
    }
  }
}
