package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The raw audit event behind the derived events, for debugging and for rules that need fields the
 * model does not carry. Optional: producers emit it only when configured to.
 *
 * @param serial the audit serial number
 * @param syscall the syscall name
 * @param process the calling process
 * @param exit the syscall's return value, absent for exit/exit_group
 * @param records the event's records, each as its type plus field name to decoded value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RawSyscall(
    long serial, String syscall, ProcessRef process, Long exit, List<Record> records)
    implements EventData {

  /** One audit record of the event. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Record(String type, Map<String, String> fields) {
    public Record {
      Objects.requireNonNull(type, "record type");
      fields =
          fields == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
  }

  public RawSyscall {
    Objects.requireNonNull(syscall, "syscall");
    records = records == null ? List.of() : List.copyOf(records);
  }

  @Override
  public EventType type() {
    return EventType.SYSCALL;
  }
}
