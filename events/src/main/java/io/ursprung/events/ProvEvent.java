package io.ursprung.events;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

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

  /**
   * Host (and cluster) names an event may carry: a letter or digit, then up to 252 letters, digits,
   * dots, underscores or hyphens. The wire format owns this rule, and the REST API relies on it: it
   * builds node ids such as {@code p:<host>:<pid>:<start>} and accepts only hosts of this form
   * ({@code NodeId.HOST} in the db module is this pattern). A host with a colon or white space
   * would make every listing that contains it unanswerable, so decoders refuse it.
   */
  public static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  /**
   * The earliest event time the store can hold. Times are kept and keyed as microseconds (and
   * compared as nanoseconds) since the epoch in a long, which covers 1677-09-21T00:12:43Z to
   * 2262-04-11T23:47:16Z; whole days inside that span keep the rule easy to state.
   */
  public static final Instant EARLIEST_TIME = Instant.parse("1677-09-22T00:00:00Z");

  /** The latest event time the store can hold: see {@link #EARLIEST_TIME}. */
  public static final Instant LATEST_TIME = Instant.parse("2262-04-10T23:59:59.999999999Z");

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
    if (host.isBlank() || hasWhitespace(host)) {
      throw new IllegalArgumentException(
          "host must be non-empty without white space: '" + host + "'");
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
  }

  /**
   * Why {@code host} cannot be an event's host (or a Spectrum Scale cluster or node name), or null
   * when it can. {@code what} names the field in the reason.
   */
  public static String hostProblem(String what, String host) {
    if (host == null) {
      return what + " is missing";
    }
    if (isHostName(host)) {
      return null;
    }
    return what
        + " '"
        + host
        + "' is not a host name (1 to 253 letters, digits, '.', '_' or '-', starting with a letter"
        + " or digit; no ':' or white space)";
  }

  /**
   * Whether {@code s} matches {@link #HOST_NAME}, without a regex: every event's host is checked,
   * and the matcher cost more than the rest of the envelope (checked against the pattern in
   * StorableEnvelopeTest).
   */
  static boolean isHostName(String s) {
    int n = s.length();
    if (n < 1 || n > 253 || !isAlnum(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean hasWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why {@code time} cannot be stored, or null when it can. {@code what} names the field in the
   * reason.
   */
  public static String timeProblem(String what, Instant time) {
    if (time == null) {
      return what + " is missing";
    }
    if (time.isBefore(EARLIEST_TIME) || time.isAfter(LATEST_TIME)) {
      return what
          + " "
          + time
          + " is outside the range the store can hold (1677-09-22 to 2262-04-10, UTC)";
    }
    return null;
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
