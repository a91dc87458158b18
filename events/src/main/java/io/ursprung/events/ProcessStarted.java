package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A process came into existence, or was seen for the first time. Announced when it starts, not when
 * it exits, so long-running processes are visible at once.
 *
 * @param process identity of the new process
 * @param parent identity of the parent process, when known
 * @param ppid parent pid as the kernel reported it
 * @param pgid process group, when known
 * @param sid session, when known
 * @param credentials ids and names
 * @param cwd working directory (absolute), inherited from the parent at fork
 * @param exe executable path, inherited from the parent at fork
 * @param argv command line, inherited from the parent at fork
 * @param how {@code fork}, {@code vfork}, {@code clone}, {@code clone3}, or {@code first-seen} for
 *     a process that predates the capture (its start is then the first time it was seen)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessStarted(
    ProcessRef process,
    ProcessRef parent,
    Integer ppid,
    Integer pgid,
    Integer sid,
    Credentials credentials,
    String cwd,
    String exe,
    List<String> argv,
    String how)
    implements EventData {
  public ProcessStarted {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(how, "how");
    argv = argv == null ? null : List.copyOf(argv);
  }

  @Override
  public EventType type() {
    return EventType.PROCESS_START;
  }
}
