package io.ursprung.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The temporary audit rules of {@code ursprung run}: the syscalls of the shipped provenance rules
 * ({@code deployment/auditd/30-ursprung-provenance.rules}), scoped to one audit session instead of
 * to all ordinary users, and tagged with a key of their own so that exactly these rules can be
 * deleted again ({@code auditctl -D -k KEY}) without touching anybody else's.
 *
 * <p>Only the native 64-bit ABI ({@code arch=b64}) is covered: a 32-bit program run under {@code
 * ursprung run} is not captured. The shipped rules cover both; for one command on a 64-bit machine
 * the second set would double the rules for a case that hardly ever occurs.
 */
final class RunRules {

  /** One rule group: syscalls, an optional extra field, and whether only successes count. */
  record Group(List<String> syscalls, String extraField, boolean successOnly) {}

  /**
   * The groups, in the shipped file's order. exit, exit_group and connect have no success filter:
   * exit records carry no success field, and a non-blocking connect "fails" with EINPROGRESS yet
   * connects. kill and friends are recorded whether or not they succeed (who tried to signal whom).
   */
  static final List<Group> GROUPS =
      List.of(
          new Group(List.of("exit", "exit_group"), null, false),
          new Group(List.of("clone", "clone3", "fork", "vfork", "execve", "execveat"), null, true),
          new Group(List.of("setpgid", "setsid"), null, true),
          new Group(
              List.of(
                  "open",
                  "openat",
                  "openat2",
                  "creat",
                  "truncate",
                  "ftruncate",
                  "rename",
                  "renameat",
                  "renameat2",
                  "unlink",
                  "unlinkat",
                  "rmdir",
                  "link",
                  "linkat",
                  "symlink",
                  "symlinkat",
                  "mkdir",
                  "mkdirat",
                  "mknod",
                  "mknodat",
                  "chdir",
                  "fchdir"),
              null,
              true),
          new Group(
              List.of("close", "close_range", "dup", "dup2", "dup3", "pipe", "pipe2", "socketpair"),
              null,
              true),
          // fcntl only for the fd-duplicating commands F_DUPFD (0) and F_DUPFD_CLOEXEC (1030).
          new Group(List.of("fcntl"), "a1=0", true),
          new Group(List.of("fcntl"), "a1=1030", true),
          new Group(List.of("connect"), null, false),
          new Group(List.of("bind", "listen", "accept", "accept4"), null, true),
          // socket only for AF_INET (2) and AF_INET6 (10); AF_UNIX shows up through bind/connect.
          new Group(List.of("socket"), "a0=2", true),
          new Group(List.of("socket"), "a0=10", true),
          new Group(List.of("kill", "tkill", "tgkill"), null, false));

  /**
   * Syscalls that only old ABIs have: the generic 64-bit table (aarch64, riscv64) lacks them, and
   * auditctl rejects a rule that names one there.
   */
  private static final Set<String> LEGACY =
      Set.of(
          "open", "creat", "rename", "unlink", "rmdir", "link", "symlink", "mkdir", "mknod", "fork",
          "vfork", "dup2", "pipe");

  private RunRules() {}

  /** The key of the rules for one audit session. */
  static String key(long session) {
    return "ursprung-run-" + session;
  }

  /**
   * auditctl argument lists, one per rule, each starting with {@code -a}.
   *
   * @param session the audit session id the rules are scoped to
   * @param osArch {@code os.arch} of this JVM ({@code amd64}, {@code aarch64}, ...)
   */
  static List<List<String>> rules(long session, String osArch) {
    if (session <= 0 || session >= 4294967295L) {
      // 4294967295 is "unset": a rule for it would capture every process without a session.
      throw new IllegalArgumentException("not a real audit session id: " + session);
    }
    boolean legacyAbi = "amd64".equals(osArch) || "x86_64".equals(osArch);
    List<List<String>> out = new ArrayList<>();
    for (Group g : GROUPS) {
      List<String> calls =
          g.syscalls().stream().filter(s -> legacyAbi || !LEGACY.contains(s)).toList();
      if (calls.isEmpty()) {
        continue;
      }
      List<String> r = new ArrayList<>();
      r.addAll(List.of("-a", "always,exit", "-F", "arch=b64", "-S", String.join(",", calls)));
      if (g.extraField() != null) {
        r.addAll(List.of("-F", g.extraField()));
      }
      if (g.successOnly()) {
        r.addAll(List.of("-F", "success=1"));
      }
      r.addAll(List.of("-F", "sessionid=" + session, "-k", key(session)));
      out.add(r);
    }
    return out;
  }
}
