package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A process replaced its program image (execve/execveat). The process keeps its identity; the
 * executable and any interpreter script are inputs ({@code used}) of what it does afterwards.
 *
 * @param process the process
 * @param exe absolute path of the executable the kernel loaded
 * @param exeInode inode of the executable, when reported
 * @param exeDevice device of the executable ({@code major:minor}), when reported
 * @param argv the full argument vector, argv[0] first
 * @param cwd working directory at exec time (absolute)
 * @param credentials ids and names at exec time
 * @param syscall {@code execve} or {@code execveat}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessExec(
    ProcessRef process,
    String exe,
    Long exeInode,
    String exeDevice,
    List<String> argv,
    String cwd,
    Credentials credentials,
    String syscall)
    implements EventData {
  public ProcessExec {
    Objects.requireNonNull(process, "process");
    argv = argv == null ? List.of() : List.copyOf(argv);
  }

  @Override
  public EventType type() {
    return EventType.PROCESS_EXEC;
  }
}
