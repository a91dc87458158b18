package io.ursprung.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event kind on the wire, with its name in the envelope's {@code type} field. */
public enum EventType {
  PROCESS_START("process.start", ProcessStarted.class),
  PROCESS_EXEC("process.exec", ProcessExec.class),
  PROCESS_EXIT("process.exit", ProcessExited.class),
  PROCESS_GROUP("process.group", ProcessGroupChanged.class),
  FILE_ACCESS("file.access", FileAccess.class),
  IPC("ipc", Ipc.class),
  SOCKET("socket", SocketActivity.class),
  JOB("job", JobLifecycle.class),
  SYSCALL("syscall", RawSyscall.class),
  HOST_STATUS("host.status", HostStatus.class);

  private static final Map<String, EventType> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(EventType::wireName, Function.identity()));

  private final String wireName;
  private final Class<? extends EventData> dataClass;

  EventType(String wireName, Class<? extends EventData> dataClass) {
    this.wireName = wireName;
    this.dataClass = dataClass;
  }

  /** The name used in JSON. */
  public String wireName() {
    return wireName;
  }

  /** The Java type of the body. */
  public Class<? extends EventData> dataClass() {
    return dataClass;
  }

  /** Looks up a wire name; empty when the name is unknown. */
  public static Optional<EventType> fromWireName(String name) {
    return Optional.ofNullable(BY_WIRE_NAME.get(name));
  }
}
