package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A process ended, or was found to have ended.
 *
 * @param process the process
 * @param exitCode the exit status when it called exit/exit_group
 * @param signal the terminating signal number, when known
 * @param how {@code exit_group}, {@code exit}, or how the end was inferred: {@code pid-reused} (a
 *     new process got its pid, so it died without an exit record, typically killed by a signal) or
 *     {@code end-of-input}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessExited(ProcessRef process, Integer exitCode, Integer signal, String how)
    implements EventData {
  public ProcessExited {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(how, "how");
  }

  @Override
  public EventType type() {
    return EventType.PROCESS_EXIT;
  }
}
