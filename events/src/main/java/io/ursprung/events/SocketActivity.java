package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A process bound, connected or accepted a socket.
 *
 * @param process the process
 * @param op {@code bind}, {@code connect}, {@code accept} or {@code listen}
 * @param fd the socket's descriptor
 * @param family {@code inet}, {@code inet6}, {@code unix}, {@code netlink} or {@code other}
 * @param address for inet/inet6: the IP address given to bind/connect or the peer returned by
 *     accept
 * @param port for inet/inet6: the port
 * @param path for unix sockets: the socket path ({@code @name} for the abstract namespace)
 * @param result the syscall's return value (connect may return -115, EINPROGRESS, and still
 *     connect)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SocketActivity(
    ProcessRef process,
    String op,
    Integer fd,
    String family,
    String address,
    Integer port,
    String path,
    Long result)
    implements EventData {
  public SocketActivity {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(op, "op");
  }

  @Override
  public EventType type() {
    return EventType.SOCKET;
  }
}
