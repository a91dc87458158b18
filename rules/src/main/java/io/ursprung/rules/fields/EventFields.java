package io.ursprung.rules.fields;

import io.ursprung.events.ProvEvent;
import java.util.Map;
import java.util.Objects;

/**
 * An event as the rule language sees it: field name to value.
 *
 * <p>Values are {@link String}, {@link Long} (every integer), {@link Boolean} or {@code null} when
 * the event does not have the field. Implementations must be cheap to query: a condition asks for
 * each field it names once per event.
 */
@FunctionalInterface
public interface EventFields {

  /** The value of a field, or {@code null} when this event does not have it. */
  Object get(String name);

  /** The fields of a wire event, named as in {@link FieldCatalog}; computed on demand. */
  static EventFields of(ProvEvent event) {
    return new ProvEventFields(Objects.requireNonNull(event, "event"));
  }

  /** Fields from a map, for tests and for events that do not come from the wire. */
  static EventFields of(Map<String, ?> fields) {
    Objects.requireNonNull(fields, "fields");
    return fields::get;
  }
}
