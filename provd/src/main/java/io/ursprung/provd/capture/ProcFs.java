package io.ursprung.provd.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** What provd reads about a process from {@code /proc}. The root is configurable for tests. */
public final class ProcFs {
  private final Path root;

  public ProcFs() {
    this(Path.of("/proc"));
  }

  public ProcFs(Path root) {
    this.root = root;
  }

  /**
   * The process's start time in clock ticks since boot (field 22 of {@code stat}); with the pid it
   * identifies the process across pid reuse. Empty when the process is gone.
   */
  public OptionalLong startTicks(int pid) {
    try {
      String stat = Files.readString(root.resolve(pid + "/stat"), StandardCharsets.UTF_8);
      // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
      int close = stat.lastIndexOf(')');
      String[] f = stat.substring(close + 2).trim().split(" ");
      // f[0] is field 3 (state), so field 22 is f[19].
      return OptionalLong.of(Long.parseLong(f[19]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Whether the process with this pid and start time still exists (and is not a zombie). */
  public boolean alive(int pid, long startTicks) {
    OptionalLong now = startTicks(pid);
    return now.isPresent() && now.getAsLong() == startTicks && !zombie(pid);
  }

  private boolean zombie(int pid) {
    try {
      String stat = Files.readString(root.resolve(pid + "/stat"), StandardCharsets.UTF_8);
      int close = stat.lastIndexOf(')');
      char state = stat.charAt(close + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** The path {@code /proc/PID/fd/N}, which opens the very file the process has open. */
  public Path fdPath(int pid, int fd) {
    return root.resolve(pid + "/fd/" + fd);
  }

  /** Whether fd {@code fd} of the process is a regular file (following the fd's magic link). */
  public boolean fdIsRegularFile(int pid, int fd) {
    return Files.isRegularFile(fdPath(pid, fd));
  }

  /** Where fd {@code fd} points, as {@code readlink} shows it ({@code pipe:[123]} for a pipe). */
  public String fdTarget(int pid, int fd) {
    try {
      return Files.readSymbolicLink(fdPath(pid, fd)).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "?";
    }
  }

  /** The pid of the process tracing this one, 0 when none. */
  public OptionalInt tracerPid(int pid) {
    return statusField(pid, "TracerPid:");
  }

  /** The real uid of the process. */
  public OptionalInt uid(int pid) {
    return statusField(pid, "Uid:");
  }

  /** The real gid of the process. */
  public OptionalInt gid(int pid) {
    return statusField(pid, "Gid:");
  }

  /** The effective uid of the process (what file access is checked against). */
  public OptionalInt effectiveUid(int pid) {
    return statusField(pid, "Uid:", 1);
  }

  /** The effective gid of the process. */
  public OptionalInt effectiveGid(int pid) {
    return statusField(pid, "Gid:", 1);
  }

  private OptionalInt statusField(int pid, String name) {
    return statusField(pid, name, 0);
  }

  private OptionalInt statusField(int pid, String name, int column) {
    try {
      for (String line :
          Files.readAllLines(root.resolve(pid + "/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(name)) {
          return OptionalInt.of(
              Integer.parseInt(line.substring(name.length()).trim().split("\\s+")[column]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return OptionalInt.empty();
  }

  /** Whether this is a kernel thread (no user memory, nothing to capture). */
  public boolean kernelThread(int pid) {
    try {
      String stat = Files.readString(root.resolve(pid + "/stat"), StandardCharsets.UTF_8);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      // Field 9, the task flags; PF_KTHREAD = 0x00200000.
      return (Long.parseLong(f[6]) & 0x00200000L) != 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The thread ids of the process; empty when it is gone. */
  public List<Integer> tasks(int pid) {
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root.resolve(pid + "/task"))) {
      s.forEach(
          p -> {
            try {
              out.add(Integer.parseInt(p.getFileName().toString()));
            } catch (NumberFormatException ignored) {
              // not a task directory
            }
          });
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      return List.of();
    }
    return out;
  }

  /**
   * Yama's {@code ptrace_scope}: 0 classic, 1 descendants only (root with CAP_SYS_PTRACE may still
   * attach), 2 admin only, 3 no attach at all. Empty when Yama is not built in.
   */
  public OptionalInt yamaPtraceScope() {
    try {
      return OptionalInt.of(
          Integer.parseInt(Files.readString(root.resolve("sys/kernel/yama/ptrace_scope")).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** Clock ticks per second of {@code /proc} times ({@code USER_HZ}, 100 on every Linux port). */
  public static final long USER_HZ = 100;
}
