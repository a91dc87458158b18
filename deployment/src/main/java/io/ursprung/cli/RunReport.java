package io.ursprung.cli;

import io.ursprung.events.FileAccess;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one captured command did, from its provenance events: the files it read that it had not
 * written itself (inputs), the files it left written (outputs, under their final names), and its
 * processes. This is what {@code ursprung run} prints; the same events are what the graph stores.
 */
final class RunReport {

  /** A process of the run. */
  static final class Proc {
    final ProcessRef ref;
    ProcessRef parent;
    List<String> argv = List.of();
    String cwd;
    Integer exitCode;
    Integer signal;

    Proc(ProcessRef ref) {
      this.ref = ref;
    }
  }

  /**
   * Paths of the system rather than of the user's work: programs, libraries, configuration, kernel
   * interfaces. Listed only on request, counted otherwise, because a single python3 reads dozens of
   * them and they would bury the two files that matter.
   */
  private static final List<String> SYSTEM_PREFIXES =
      List.of(
          "/usr/",
          "/lib/",
          "/lib32/",
          "/lib64/",
          "/libx32/",
          "/bin/",
          "/sbin/",
          "/etc/",
          "/proc/",
          "/sys/",
          "/dev/",
          "/run/",
          "/var/lib/",
          "/var/cache/",
          "/nix/store/",
          "/opt/conda/pkgs/");

  final Map<ProcessRef, Proc> processes = new LinkedHashMap<>();
  final Set<String> inputs = new LinkedHashSet<>();
  final Set<String> outputs = new LinkedHashSet<>();

  private RunReport() {}

  /** Builds the report from events in the order they were emitted. */
  static RunReport of(List<ProvEvent> events) {
    RunReport r = new RunReport();
    Set<String> writtenSoFar = new HashSet<>();
    for (ProvEvent e : events) {
      if (e.data() instanceof ProcessStarted s) {
        Proc p = r.proc(s.process());
        p.parent = s.parent();
        if (s.argv() != null) {
          p.argv = s.argv();
        }
        if (s.cwd() != null) {
          p.cwd = s.cwd();
        }
      } else if (e.data() instanceof ProcessExec x) {
        Proc p = r.proc(x.process());
        p.argv = x.argv();
        p.cwd = x.cwd() != null ? x.cwd() : p.cwd;
        // The program itself is read by the kernel: an input unless the run built it.
        if (x.exe() != null && !writtenSoFar.contains(x.exe())) {
          r.inputs.add(x.exe());
        }
      } else if (e.data() instanceof ProcessExited x) {
        Proc p = r.proc(x.process());
        p.exitCode = x.exitCode();
        p.signal = x.signal();
      } else if (e.data() instanceof FileAccess f) {
        r.file(f, writtenSoFar);
      }
    }
    return r;
  }

  private Proc proc(ProcessRef ref) {
    return processes.computeIfAbsent(ref, Proc::new);
  }

  private void file(FileAccess f, Set<String> writtenSoFar) {
    boolean regular = f.objectType() == null || f.objectType().equals("file");
    switch (f.op()) {
      case OPEN -> {
        if (!regular) {
          return;
        }
        boolean writes =
            Boolean.TRUE.equals(f.write())
                || Boolean.TRUE.equals(f.create())
                || Boolean.TRUE.equals(f.truncate());
        if (Boolean.TRUE.equals(f.read()) && !writtenSoFar.contains(f.path())) {
          inputs.add(f.path());
        }
        if (writes) {
          writtenSoFar.add(f.path());
          outputs.add(f.path());
        }
      }
      case TRUNCATE -> {
        writtenSoFar.add(f.path());
        outputs.add(f.path());
      }
      case RENAME, LINK, SYMLINK -> {
        if (f.targetPath() == null) {
          return;
        }
        if (f.op() == FileAccess.Op.RENAME) {
          // The content moves: what was written under the old name is an output under the new.
          outputs.remove(f.path());
          if (writtenSoFar.remove(f.path())) {
            writtenSoFar.add(f.targetPath());
          }
        }
        if (regular) {
          outputs.add(f.targetPath());
        }
      }
      case UNLINK -> {
        // A temporary file the run wrote and removed is not something it left behind.
        outputs.remove(f.path());
      }
      default -> {}
    }
  }

  static boolean isSystemPath(String path) {
    for (String p : SYSTEM_PREFIXES) {
      if (path.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text {@code ursprung run} prints.
   *
   * @param rootPid pid of the command (its first process)
   * @param status the command's exit status
   * @param all also list system files
   * @param link the GUI link, or null
   */
  String format(long rootPid, int status, boolean all, String link) {
    StringBuilder sb = new StringBuilder();
    List<String> userInputs = inputs.stream().filter(p -> all || !isSystemPath(p)).toList();
    long hiddenInputs = inputs.size() - userInputs.size();
    List<String> userOutputs = outputs.stream().filter(p -> all || !isSystemPath(p)).toList();
    long hiddenOutputs = outputs.size() - userOutputs.size();

    sb.append("Inputs (").append(userInputs.size()).append("):\n");
    userInputs.forEach(p -> sb.append("  ").append(p).append('\n'));
    if (hiddenInputs > 0) {
      sb.append("  + ")
          .append(hiddenInputs)
          .append(" system files (programs, libraries, /etc, /proc); --all lists them\n");
    }
    sb.append("Outputs (").append(userOutputs.size()).append("):\n");
    userOutputs.forEach(p -> sb.append("  ").append(p).append('\n'));
    if (hiddenOutputs > 0) {
      sb.append("  + ").append(hiddenOutputs).append(" system files; --all lists them\n");
    }
    sb.append("Processes (").append(processes.size()).append("):\n");
    Map<ProcessRef, List<Proc>> children = new LinkedHashMap<>();
    List<Proc> roots = new ArrayList<>();
    for (Proc p : processes.values()) {
      if (p.parent != null && processes.containsKey(p.parent)) {
        children.computeIfAbsent(p.parent, k -> new ArrayList<>()).add(p);
      } else {
        roots.add(p);
      }
    }
    for (Proc p : roots) {
      tree(sb, p, children, 0, rootPid, status);
    }
    sb.append("Command exit status: ").append(status).append('\n');
    if (link != null) {
      sb.append("Graph: ").append(link).append('\n');
    }
    return sb.toString();
  }

  private static void tree(
      StringBuilder sb,
      Proc p,
      Map<ProcessRef, List<Proc>> children,
      int depth,
      long rootPid,
      int rootStatus) {
    String exit;
    if (p.ref.pid() == rootPid && depth == 0) {
      exit = "exit " + rootStatus;
    } else if (p.exitCode != null) {
      exit = "exit " + p.exitCode;
    } else if (p.signal != null) {
      exit = "signal " + p.signal;
    } else {
      exit = "exit ?";
    }
    sb.append(String.format("  %-8d %-9s ", p.ref.pid(), exit))
        .append("  ".repeat(depth))
        .append(commandLine(p.argv));
    if (p.cwd != null) {
      sb.append("   (in ").append(p.cwd).append(')');
    }
    sb.append('\n');
    for (Proc c : children.getOrDefault(p.ref, List.of())) {
      tree(sb, c, children, depth + 1, rootPid, rootStatus);
    }
  }

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%^-]+");

  /** argv as a shell would need it typed: words with special characters single-quoted. */
  static String commandLine(List<String> argv) {
    if (argv.isEmpty()) {
      return "?";
    }
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (PLAIN.matcher(a).matches()) {
        sb.append(a);
      } else {
        sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
      }
    }
    return sb.toString();
  }
}
