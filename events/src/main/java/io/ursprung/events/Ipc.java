package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Data can flow from one process to another through a kernel channel: both ends of an anonymous
 * pipe (or a socketpair) are held by two different processes, one able to write and one to read.
 *
 * @param kind {@code pipe} or {@code socketpair}
 * @param channel an identifier of the channel unique on the host for its lifetime, such as the
 *     creating process and fd pair; lets consumers group several readers/writers of one pipe
 * @param writer the process holding the write end
 * @param reader the process holding the read end
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ipc(String kind, String channel, ProcessRef writer, ProcessRef reader)
    implements EventData {
  public Ipc {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(reader, "reader");
  }

  @Override
  public EventType type() {
    return EventType.IPC;
  }
}
