package io.ursprung.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One provenance event: the envelope every message on Kafka carries, plus its typed body.
 *
 * @param schemaVersion major version of the wire format; {@link #SCHEMA_VERSION} for this code
 * @param id deterministic, unique id: a producer emits the same id for the same source record every
 *     time (for example {@code worker01:auditd:4711:0}), which is what lets consumers write
 *     idempotently
 * @param producer who produced it
 * @param host the host (or cluster) the event happened on; also the Kafka key
 * @param time when it happened, UTC, at the source's precision (auditd: milliseconds)
 * @param data the typed body
 */
public record ProvEvent(
    int schemaVersion, String id, Producer producer, String host, Instant time, EventData data) {

  /** The major schema version this code writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  public ProvEvent {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion " + schemaVersion + ", this code reads " + SCHEMA_VERSION);
    }
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "host must be non-empty without white space: '" + host + "'");
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
  }

  /** A current-version event. */
  public static ProvEvent of(
      String id, Producer producer, String host, Instant time, EventData data) {
    return new ProvEvent(SCHEMA_VERSION, id, producer, host, time, data);
  }

  /** The wire type, derived from the body. */
  public EventType type() {
    return data.type();
  }
}
