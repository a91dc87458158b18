package io.ursprung.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The audit user-space programs ({@code auditctl}, {@code auditd}, {@code ausearch}) as {@code
 * ursprung run} uses them: found by absolute path (sudo's secure_path may or may not include
 * /sbin), run without a shell (no argument is ever interpreted), output captured.
 */
final class AuditTools {

  /** What a program printed and how it ended. */
  record Result(int status, String out) {
    boolean ok() {
      return status == 0;
    }
  }

  private static final List<String> DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  final Path auditctl;
  final Path auditd;
  final Path ausearch;

  private AuditTools(Path auditctl, Path auditd, Path ausearch) {
    this.auditctl = auditctl;
    this.auditd = auditd;
    this.ausearch = ausearch;
  }

  /** The tools, or the list of those that are missing. */
  static AuditTools find(List<String> missing) {
    Optional<Path> ctl = program("auditctl");
    Optional<Path> d = program("auditd");
    Optional<Path> search = program("ausearch");
    ctl.ifPresentOrElse(p -> {}, () -> missing.add("auditctl"));
    d.ifPresentOrElse(p -> {}, () -> missing.add("auditd"));
    search.ifPresentOrElse(p -> {}, () -> missing.add("ausearch"));
    return missing.isEmpty() ? new AuditTools(ctl.get(), d.get(), search.get()) : null;
  }

  private static Optional<Path> program(String name) {
    List<String> dirs = new ArrayList<>(DIRS);
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  Result auditctl(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(auditctl.toString());
    cmd.addAll(args);
    return exec(cmd, 30);
  }

  Result auditctl(String... args) {
    return auditctl(List.of(args));
  }

  /** Runs a program to completion; never throws (a failure to start is status -1). */
  static Result exec(List<String> cmd, int timeoutSeconds) {
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      // Read before waiting: a full pipe would otherwise block the program forever.
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** The value of one line of {@code auditctl -s} ("enabled 1" gives "1"), or null. */
  static String statusField(String status, String field) {
    for (String line : status.split("\n")) {
      String[] kv = line.strip().split("\\s+", 2);
      if (kv.length == 2 && kv[0].equals(field)) {
        return kv[1].split("\\s+")[0];
      }
    }
    return null;
  }

  /** Pids of running auditd processes (empty when none), from /proc: no pidof needed. */
  static List<Long> auditdPids() {
    List<Long> pids = new ArrayList<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String n = d.getFileName().toString();
        if (!n.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"), StandardCharsets.UTF_8);
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          // A zombie (state Z) is not running: an earlier auditd whose parent never reaped it.
          if (open > 0
              && close + 2 < stat.length()
              && stat.substring(open + 1, close).equals("auditd")
              && stat.charAt(close + 2) != 'Z') {
            pids.add(Long.parseLong(n));
          }
        } catch (IOException e) {
          // the process ended while we looked: not running
        }
      }
    } catch (IOException e) {
      // no /proc: nothing can be found
    }
    return pids;
  }
}
