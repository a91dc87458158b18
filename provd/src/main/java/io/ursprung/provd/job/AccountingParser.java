package io.ursprung.provd.job;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads accounting exports.
 *
 * <p><b>Slurm</b>: {@code sacct --parsable2 --allusers
 * --format=JobID,User,Submit,Start,End,Elapsed,UserCPU,SystemCPU,State}. With a header line (the
 * default) columns are found by name, in any order, extra columns ignored; with {@code --noheader}
 * exactly that order is assumed. Times without a zone (Slurm prints local time) are read in the
 * given zone. Step lines ({@code 123.batch}, {@code 123.0}, {@code 123.extern}) belong to job
 * {@code 123}: the job line's CPU times are used, or the sum of its steps' when the job line has
 * none. Jobs without an end time (still running) are skipped: accounting is imported once a job is
 * over.
 *
 * <p><b>CSV</b>: a header line naming the columns {@code
 * localJobId,user,queuedTime,startTime,finishTime,elapsedSeconds,userCpuSeconds,systemCpuSeconds,state}
 * (any order; {@code localJobId}, {@code user}, {@code queuedTime} required), times ISO-8601
 * (without a zone: the given zone), durations in seconds or {@code [D-]HH:MM:SS}. Fields may be
 * quoted with {@code "}.
 */
public final class AccountingParser {

  /** The sacct columns expected without a header, in this order. */
  public static final List<String> SACCT_FIELDS =
      List.of(
          "JobID", "User", "Submit", "Start", "End", "Elapsed", "UserCPU", "SystemCPU", "State");

  /** A line that could not be read, with its number. */
  public record Problem(int line, String message) {}

  /** What was read. */
  public record Result(List<AccountingRecord> records, List<Problem> problems, int skipped) {}

  private AccountingParser() {}

  /** Reads sacct output when the first line holds {@code |}, else CSV. */
  public static Result parse(List<String> lines, ZoneId zone, String resourceManager) {
    String first = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("");
    return first.contains("|")
        ? parseSacct(lines, zone, resourceManager == null ? "slurm" : resourceManager)
        : parseCsv(lines, zone, resourceManager);
  }

  /** Reads {@code sacct --parsable2} output. */
  public static Result parseSacct(List<String> lines, ZoneId zone, String resourceManager) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Integer> col = new HashMap<>();
    int start = 0;
    String firstLine = lines.isEmpty() ? "" : lines.get(0);
    if (firstLine.toLowerCase(Locale.ROOT).startsWith("jobid|")) {
      String[] h = firstLine.split("\\|", -1);
      for (int i = 0; i < h.length; i++) {
        col.put(h[i].trim().toLowerCase(Locale.ROOT), i);
      }
      start = 1;
    } else {
      for (int i = 0; i < SACCT_FIELDS.size(); i++) {
        col.put(SACCT_FIELDS.get(i).toLowerCase(Locale.ROOT), i);
      }
    }
    for (String required : List.of("jobid", "user", "submit")) {
      if (!col.containsKey(required)) {
        problems.add(new Problem(1, "the header has no " + required + " column"));
        return new Result(List.of(), problems, 0);
      }
    }
    // Job lines in input order, each with the step lines that follow it. sacct prints a job's
    // steps right after it, and an export over a long period can hold the same (reused) id twice,
    // so a step belongs to the latest job line with its id, not to a map keyed by id.
    List<String[]> jobs = new ArrayList<>();
    List<Integer> jobLines = new ArrayList<>();
    List<List<String[]>> steps = new ArrayList<>();
    Map<String, Integer> latest = new HashMap<>();
    for (int n = start; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      String id = field(f, col, "jobid");
      if (id == null) {
        problems.add(new Problem(n + 1, "no JobID"));
        continue;
      }
      int dot = id.indexOf('.');
      if (dot > 0) {
        Integer owner = latest.get(id.substring(0, dot));
        if (owner == null) {
          problems.add(new Problem(n + 1, "step " + id + " without its job line"));
        } else {
          steps.get(owner).add(f);
        }
      } else {
        latest.put(id, jobs.size());
        jobs.add(f);
        jobLines.add(n + 1);
        steps.add(new ArrayList<>());
      }
    }
    List<AccountingRecord> out = new ArrayList<>();
    int skipped = 0;
    for (int k = 0; k < jobs.size(); k++) {
      String[] f = jobs.get(k);
      int n = jobLines.get(k);
      String jobId = field(f, col, "jobid");
      try {
        String user = field(f, col, "user");
        if (user == null) {
          throw new IllegalArgumentException("no User");
        }
        Instant submit = time(field(f, col, "submit"), zone);
        if (submit == null) {
          throw new IllegalArgumentException("no Submit time");
        }
        Instant end = time(field(f, col, "end"), zone);
        if (end == null) {
          skipped++; // still running: imported when it is over
          continue;
        }
        BigDecimal userCpu = duration(field(f, col, "usercpu"));
        BigDecimal systemCpu = duration(field(f, col, "systemcpu"));
        List<String[]> own = steps.get(k);
        if (isZero(userCpu) && !own.isEmpty()) {
          userCpu = sum(own, col, "usercpu");
        }
        if (isZero(systemCpu) && !own.isEmpty()) {
          systemCpu = sum(own, col, "systemcpu");
        }
        String state = field(f, col, "state");
        if (state != null) {
          state = state.split(" ")[0]; // "CANCELLED by 1000"
        }
        out.add(
            new AccountingRecord(
                resourceManager,
                jobId,
                user,
                submit,
                time(field(f, col, "start"), zone),
                end,
                duration(field(f, col, "elapsed")),
                userCpu,
                systemCpu,
                state));
      } catch (IllegalArgumentException ex) {
        problems.add(new Problem(n, "job " + jobId + ": " + ex.getMessage()));
      }
    }
    return new Result(out, problems, skipped);
  }

  /** Reads the documented CSV form. */
  public static Result parseCsv(List<String> lines, ZoneId zone, String resourceManager) {
    List<Problem> problems = new ArrayList<>();
    List<AccountingRecord> out = new ArrayList<>();
    Map<String, Integer> col = new HashMap<>();
    int n = 0;
    while (n < lines.size() && lines.get(n).isBlank()) {
      n++;
    }
    if (n == lines.size()) {
      return new Result(out, problems, 0);
    }
    List<String> header = csv(lines.get(n));
    for (int i = 0; i < header.size(); i++) {
      col.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    for (String required : List.of("localjobid", "user", "queuedtime")) {
      if (!col.containsKey(required)) {
        problems.add(new Problem(n + 1, "the header has no " + required + " column"));
        return new Result(out, problems, 0);
      }
    }
    for (n = n + 1; n < lines.size(); n++) {
      if (lines.get(n).isBlank()) {
        continue;
      }
      String[] f = csv(lines.get(n)).toArray(String[]::new);
      try {
        String id = field(f, col, "localjobid");
        String user = field(f, col, "user");
        Instant queued = time(field(f, col, "queuedtime"), zone);
        if (id == null || user == null || queued == null) {
          throw new IllegalArgumentException("localJobId, user and queuedTime are required");
        }
        String rm = field(f, col, "resourcemanager");
        out.add(
            new AccountingRecord(
                rm != null ? rm : resourceManager,
                id,
                user,
                queued,
                time(field(f, col, "starttime"), zone),
                time(field(f, col, "finishtime"), zone),
                duration(field(f, col, "elapsedseconds")),
                duration(field(f, col, "usercpuseconds")),
                duration(field(f, col, "systemcpuseconds")),
                field(f, col, "state")));
      } catch (IllegalArgumentException ex) {
        problems.add(new Problem(n + 1, ex.getMessage()));
      }
    }
    return new Result(out, problems, 0);
  }

  private static String field(String[] f, Map<String, Integer> col, String name) {
    Integer i = col.get(name);
    if (i == null || i >= f.length) {
      return null;
    }
    String v = f[i].trim();
    return v.isEmpty() ? null : v;
  }

  /**
   * A time: ISO-8601 with a zone, or a local date-time (Slurm's {@code 2026-11-20T09:14:03}) in
   * {@code zone}; {@code Unknown}, {@code None} and empty are null.
   */
  static Instant time(String s, ZoneId zone) {
    if (s == null || s.equalsIgnoreCase("unknown") || s.equalsIgnoreCase("none")) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s.replace(' ', 'T')).atZone(zone).toInstant();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("not a time: " + s);
      }
    }
  }

  /**
   * Seconds from {@code 12.5}, {@code MM:SS[.fff]}, {@code HH:MM:SS} or {@code D-HH:MM:SS} (Slurm's
   * Elapsed, UserCPU and SystemCPU); null for null, {@code INVALID} or {@code UNLIMITED}.
   */
  public static BigDecimal duration(String s) {
    if (s == null || s.equalsIgnoreCase("invalid") || s.equalsIgnoreCase("unlimited")) {
      return null;
    }
    try {
      long days = 0;
      String rest = s;
      int dash = s.indexOf('-');
      if (dash > 0) {
        days = Long.parseLong(s.substring(0, dash));
        rest = s.substring(dash + 1);
      } else if (dash == 0) {
        throw new NumberFormatException();
      }
      String[] parts = rest.split(":", -1);
      if (parts.length > 3) {
        throw new NumberFormatException();
      }
      BigDecimal total = new BigDecimal(parts[parts.length - 1]);
      long factor = 60;
      for (int i = parts.length - 2; i >= 0; i--) {
        total = total.add(BigDecimal.valueOf(Long.parseLong(parts[i]) * factor));
        factor *= 60;
      }
      total = total.add(BigDecimal.valueOf(days * 86_400));
      if (total.signum() < 0) {
        throw new NumberFormatException();
      }
      return total;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: " + s);
    }
  }

  private static boolean isZero(BigDecimal d) {
    return d == null || d.signum() == 0;
  }

  private static BigDecimal sum(List<String[]> rows, Map<String, Integer> col, String name) {
    BigDecimal total = null;
    for (String[] f : rows) {
      BigDecimal d = duration(field(f, col, name));
      if (d != null) {
        total = total == null ? d : total.add(d);
      }
    }
    return total;
  }

  /** Splits one CSV line; a field in double quotes may hold commas and doubled quotes. */
  static List<String> csv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
