package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A process joined a process group or started a session (shell job control, daemons).
 *
 * @param process the process whose group changed (not always the caller of setpgid)
 * @param pgid the new process group id
 * @param sid the session id, when known (set by setsid)
 * @param op {@code setpgid} or {@code setsid}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessGroupChanged(ProcessRef process, int pgid, Integer sid, String op)
    implements EventData {
  public ProcessGroupChanged {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(op, "op");
  }

  @Override
  public EventType type() {
    return EventType.PROCESS_GROUP;
  }
}
