package io.ursprung.events;

/**
 * The typed body of a {@link ProvEvent}. Each implementation maps to exactly one {@link EventType};
 * the envelope's {@code type} field is derived from it, never set separately.
 */
public sealed interface EventData
    permits ProcessStarted,
        ProcessExec,
        ProcessExited,
        ProcessGroupChanged,
        FileAccess,
        Ipc,
        SocketActivity,
        JobLifecycle,
        RawSyscall,
        HostStatus {

  /** The wire type of this body. */
  EventType type();
}
