package io.ursprung.provd.job;

import io.ursprung.config.LocalHost;
import io.ursprung.provd.ProvdVersionProvider;
import io.ursprung.provd.spool.JobRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung job <stage>}: writes one job lifecycle record into provd's spool directory as the
 * calling user; {@code ursprung job import-accounting FILE} writes one accounting record per
 * finished job of a resource manager's export. Exit status 0 on success, 1 when the spool cannot be
 * written, 2 for a bad command line or record.
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    versionProvider = ProvdVersionProvider.class,
    description = {
      "Write job audit records (GRAM-style lifecycle) and import accounting.",
      "Records go into provd's spool directory; provd checks the file's owner and uploads them."
    },
    subcommands = {
      JobCommand.Initialized.class,
      JobCommand.Queued.class,
      JobCommand.Started.class,
      JobCommand.Cancelled.class,
      JobCommand.Finished.class,
      JobCommand.ImportAccounting.class
    })
public final class JobCommand implements Runnable {

  /** Exit status when the record or the command line is wrong. */
  public static final int EXIT_USAGE = 2;

  /** Exit status when the spool cannot be written. */
  public static final int EXIT_IO = 1;

  /** Spool used when neither --spool nor URSPRUNG_PROVD_SPOOL_DIR says otherwise. */
  public static final String DEFAULT_SPOOL = "/var/spool/ursprung/jobs";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every writing subcommand shares. */
  abstract static class Writing implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--spool",
        paramLabel = "DIR",
        description =
            "Spool directory (default: $URSPRUNG_PROVD_SPOOL_DIR, else " + DEFAULT_SPOOL + ").")
    Path spool;

    @Option(
        names = {"-q", "--quiet"},
        description = "Do not print the written file's path.")
    boolean quiet;

    Path spool() {
      if (spool != null) {
        return spool;
      }
      String env = System.getenv("URSPRUNG_PROVD_SPOOL_DIR");
      return Path.of(env == null || env.isBlank() ? DEFAULT_SPOOL : env);
    }

    int write(JobRecord r) {
      try {
        Path p = JobRecordWriter.write(spool(), r);
        if (!quiet) {
          spec.commandLine().getOut().println(p);
        }
        return 0;
      } catch (JobRecord.InvalidRecordException e) {
        spec.commandLine().getErr().println("ursprung job: invalid record: " + e.getMessage());
        return EXIT_USAGE;
      } catch (IOException e) {
        spec.commandLine()
            .getErr()
            .println("ursprung job: cannot write into " + spool() + ": " + e);
        return EXIT_IO;
      }
    }
  }

  /** Options of the five lifecycle stages. */
  abstract static class Stage extends Writing {
    @Option(
        names = "--job-id",
        required = true,
        paramLabel = "ID",
        description =
            "The job's global id, the same for all its stages and unique over time, e.g."
                + " cluster1:slurm:4711:2026-11-20T09:14:03Z.")
    String jobId;

    @Option(
        names = "--user",
        paramLabel = "NAME",
        description =
            "The job's user (default: the calling user). provd refuses a record whose file is not"
                + " owned by this user, unless written by a trusted account.")
    String user;

    @Option(
        names = "--time",
        paramLabel = "TIME",
        description =
            "When the stage happened: ISO-8601 with a zone, or @EPOCH-SECONDS (default: now).")
    String time;

    @Option(
        names = "--attribute",
        paramLabel = "NAME=VALUE",
        description = "An additional attribute (repeatable).")
    Map<String, String> extra = new LinkedHashMap<>();

    abstract String stage();

    /** Adds the stage's attributes; throws IllegalArgumentException for a bad value. */
    abstract void attributes(Map<String, String> a, Instant time);

    @Override
    public Integer call() {
      Instant t;
      Map<String, String> a = new LinkedHashMap<>(extra);
      try {
        t = time == null ? Instant.now() : parseTime(time);
        attributes(a, t);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("ursprung job " + stage() + ": " + e.getMessage());
        return EXIT_USAGE;
      }
      a.values().removeIf(v -> v == null);
      String u = user != null ? user : System.getProperty("user.name");
      return write(new JobRecord(jobId, stage(), u, t, a));
    }
  }

  @Command(
      name = "initialized",
      mixinStandardHelpOptions = true,
      description = "The job was created (submitted to the service or resource manager).")
  static final class Initialized extends Stage {
    @Option(names = "--request-id", description = "Id of the submission request.")
    String requestId;

    @Option(names = "--client-host", description = "Submitting host (default: this host).")
    String clientHost;

    @Option(
        names = "--client-submission-id",
        description = "The submitting client's (a gateway's) own id of the job.")
    String clientSubmissionId;

    @Option(
        names = "--gateway-user",
        description = "The person a gateway (community account) submits the job for.")
    String gatewayUser;

    @Option(
        names = "--resource-manager",
        required = true,
        description = "Resource manager type: slurm, lsf, pbs, ...")
    String resourceManager;

    @Option(names = "--rm-version", description = "Resource manager or service version.")
    String version;

    @Option(
        names = "--description",
        description = "Job description: script name, command line, or RSL.")
    String description;

    @Override
    String stage() {
      return "initialized";
    }

    @Override
    void attributes(Map<String, String> a, Instant time) {
      a.put("requestId", requestId);
      a.put("clientHost", clientHost != null ? clientHost : hostName());
      a.put("clientSubmissionId", clientSubmissionId);
      a.put("gatewayUser", gatewayUser);
      a.put("creationTime", time.toString());
      a.put("resourceManager", resourceManager);
      a.put("version", version);
      a.put("jobDescription", description);
    }
  }

  @Command(
      name = "queued",
      mixinStandardHelpOptions = true,
      description = "The resource manager queued the job under a local id.")
  static final class Queued extends Stage {
    @Option(names = "--local-id", required = true, description = "The resource manager's job id.")
    String localId;

    @Option(names = "--stage-in-id", description = "Id of the stage-in transfer.")
    String stageInId;

    @Option(names = "--queue", description = "Queue or partition.")
    String queue;

    @Override
    String stage() {
      return "queued";
    }

    @Override
    void attributes(Map<String, String> a, Instant time) {
      a.put("localJobId", localId);
      a.put("queuedTime", time.toString());
      a.put("stageInId", stageInId);
      a.put("queue", queue);
    }
  }

  @Command(
      name = "started",
      mixinStandardHelpOptions = true,
      description = {
        "The job started on a host. With --pid or --this-session the record also names the",
        "session and process group of the job's processes, which links them to the job."
      })
  static final class Started extends Stage {
    @Option(names = "--executing-host", description = "Host the job runs on (default: this host).")
    String executingHost;

    @Option(names = "--session-id", description = "Session id of the job's processes.")
    Integer sessionId;

    @Option(names = "--process-group-id", description = "Process group of the job's processes.")
    Integer processGroupId;

    @Option(
        names = "--pid",
        description = "Take session and process group from this process (/proc/PID/stat).")
    Integer pid;

    @Option(
        names = "--this-session",
        description = "Take session and process group from this command (run it inside the job).")
    boolean thisSession;

    @Override
    String stage() {
      return "started";
    }

    @Override
    void attributes(Map<String, String> a, Instant time) {
      Integer sid = sessionId;
      Integer pgid = processGroupId;
      if (pid != null || thisSession) {
        int[] ids = sessionOf(pid == null ? "self" : String.valueOf(pid));
        pgid = pgid != null ? pgid : ids[0];
        sid = sid != null ? sid : ids[1];
      }
      a.put("startTime", time.toString());
      a.put("executingHost", executingHost != null ? executingHost : hostName());
      a.put("sessionId", sid == null ? null : sid.toString());
      a.put("processGroupId", pgid == null ? null : pgid.toString());
    }
  }

  @Command(
      name = "cancelled",
      mixinStandardHelpOptions = true,
      description = "The job was cancelled.")
  static final class Cancelled extends Stage {
    @Option(names = "--request-id", description = "Id of the cancel request.")
    String requestId;

    @Option(
        names = "--reason",
        required = true,
        description = "Why: lifetime-expired, user or service.")
    String reason;

    @Override
    String stage() {
      return "cancelled";
    }

    @Override
    void attributes(Map<String, String> a, Instant time) {
      String r = reason.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
      if (!List.of("LIFETIME_EXPIRED", "USER", "SERVICE").contains(r)) {
        throw new IllegalArgumentException(
            "--reason must be lifetime-expired, user or service, got " + reason);
      }
      a.put("requestId", requestId);
      a.put("reason", r);
      a.put("cancelTime", time.toString());
    }
  }

  @Command(
      name = "finished",
      mixinStandardHelpOptions = true,
      description = "The job ended; --time is when the service finished with it.")
  static final class Finished extends Stage {
    @Option(
        names = "--state",
        required = true,
        description =
            "Final state: SUCCESSFUL_COMPLETION, FAIL_USER_TERMINATED, FAIL_RESOURCE_LIMIT or"
                + " FAIL_LRM_FAILURE.")
    String state;

    @Option(names = "--exit-code", description = "The job's exit code.")
    Integer exitCode;

    @Option(
        names = "--lrm-finish-time",
        description = "When the resource manager finished the job (ISO-8601 or @EPOCH).")
    String lrmFinishTime;

    @Option(names = "--elapsed", description = "Wall-clock run time: seconds, or [D-]HH:MM:SS.")
    String elapsed;

    @Option(names = "--stage-out-id", description = "Id of the stage-out transfer.")
    String stageOutId;

    @Option(names = "--clean-up-id", description = "Id of the clean-up transfer.")
    String cleanUpId;

    @Override
    String stage() {
      return "finished";
    }

    @Override
    void attributes(Map<String, String> a, Instant time) {
      String s = state.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
      if (!List.of(
              "SUCCESSFUL_COMPLETION",
              "FAIL_USER_TERMINATED",
              "FAIL_RESOURCE_LIMIT",
              "FAIL_LRM_FAILURE")
          .contains(s)) {
        throw new IllegalArgumentException(
            "--state must be SUCCESSFUL_COMPLETION, FAIL_USER_TERMINATED, FAIL_RESOURCE_LIMIT or"
                + " FAIL_LRM_FAILURE, got "
                + state);
      }
      BigDecimal e = AccountingParser.duration(elapsed);
      a.put("finalState", s);
      a.put("exitCode", exitCode == null ? null : exitCode.toString());
      a.put("lrmFinishTime", lrmFinishTime == null ? null : parseTime(lrmFinishTime).toString());
      a.put("serviceFinishTime", time.toString());
      a.put("elapsedSeconds", e == null ? null : e.toPlainString());
      a.put("stageOutId", stageOutId);
      a.put("cleanUpId", cleanUpId);
    }
  }

  @Command(
      name = "import-accounting",
      mixinStandardHelpOptions = true,
      description = {
        "Write one accounting record per finished job of a resource manager's export.",
        "Slurm: sacct --parsable2 --allusers"
            + " --format=JobID,User,Submit,Start,End,Elapsed,UserCPU,SystemCPU,State",
        "CSV: header localJobId,user,queuedTime,startTime,finishTime,elapsedSeconds,"
            + "userCpuSeconds,systemCpuSeconds,state (docs/jobs.md).",
        "provd accepts accounting only from its trusted accounts (provd.spool.trusted.users)."
      })
  static final class ImportAccounting extends Writing {
    @Parameters(paramLabel = "FILE", description = "The export; - reads standard input.")
    String file;

    @Option(
        names = "--format",
        defaultValue = "auto",
        description = "sacct, csv or auto (sacct when the first line holds '|').")
    String format;

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        description = "Zone of times written without one (default: this host's zone).")
    ZoneId zone;

    @Option(
        names = "--resource-manager",
        description = "Resource manager type of the records (default: slurm for sacct).")
    String resourceManager;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      List<String> lines;
      try {
        lines =
            file.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("ursprung job import-accounting: cannot read " + file + ": " + e);
        return EXIT_IO;
      }
      ZoneId z = zone != null ? zone : ZoneId.systemDefault();
      AccountingParser.Result r =
          switch (format) {
            case "sacct" ->
                AccountingParser.parseSacct(
                    lines, z, resourceManager == null ? "slurm" : resourceManager);
            case "csv" -> AccountingParser.parseCsv(lines, z, resourceManager);
            case "auto" -> AccountingParser.parse(lines, z, resourceManager);
            default -> null;
          };
      if (r == null) {
        err.println("ursprung job import-accounting: --format must be sacct, csv or auto");
        return EXIT_USAGE;
      }
      for (AccountingParser.Problem p : r.problems()) {
        err.println(file + ":" + p.line() + ": " + p.message());
      }
      int written = 0;
      for (AccountingRecord a : r.records()) {
        int status = write(toRecord(a));
        if (status != 0) {
          return status;
        }
        written++;
      }
      err.println(
          "ursprung job import-accounting: "
              + written
              + " records written, "
              + r.skipped()
              + " unfinished jobs skipped, "
              + r.problems().size()
              + " problems");
      return r.problems().isEmpty() ? 0 : EXIT_USAGE;
    }
  }

  /** The accounting record of one job; its id names resource manager, local id and submit time. */
  public static JobRecord toRecord(AccountingRecord a) {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "resourceManager", a.resourceManager());
    put(m, "localJobId", a.localJobId());
    put(m, "queuedTime", a.queued());
    put(m, "startTime", a.started());
    put(m, "finishTime", a.finished());
    put(m, "elapsedSeconds", a.elapsedSeconds());
    put(m, "userCpuSeconds", a.userCpuSeconds());
    put(m, "systemCpuSeconds", a.systemCpuSeconds());
    put(m, "state", a.state());
    String id =
        (a.resourceManager() == null ? "rm" : a.resourceManager())
            + ":"
            + a.localJobId()
            + ":"
            + a.queued();
    return new JobRecord(
        id, JobRecord.ACCOUNTING, a.user(), a.finished() != null ? a.finished() : a.queued(), m);
  }

  private static void put(Map<String, String> m, String k, Object v) {
    if (v != null) {
      m.put(k, v instanceof BigDecimal d ? d.toPlainString() : v.toString());
    }
  }

  /** ISO-8601 with a zone, or {@code @EPOCH-SECONDS} (what {@code date +@%s} gives). */
  static Instant parseTime(String s) {
    try {
      if (s.startsWith("@")) {
        return Instant.ofEpochSecond(Long.parseLong(s.substring(1)));
      }
      return OffsetDateTime.parse(s).toInstant();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "a time is ISO-8601 with a zone or @EPOCH-SECONDS, got " + s);
    }
  }

  /** [pgid, sid] of a process, from /proc/PID/stat (fields 5 and 6, after the command name). */
  static int[] sessionOf(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // The command name is in parentheses and may itself contain spaces and parentheses.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the session of process " + pid + ": " + e);
    }
  }

  /**
   * The kernel's host name, as the auditd plugin names this host's processes: the executing host
   * must match it for the job's processes to be linked.
   */
  static String hostName() {
    return LocalHost.name().orElse("localhost");
  }

  /** A configured command line (for tests and the launcher). */
  public static CommandLine commandLine() {
    return new CommandLine(new JobCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
