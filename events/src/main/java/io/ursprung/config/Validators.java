package io.ursprung.config;

import java.util.List;
import java.util.Set;

/** Common {@link Validator}s. */
public final class Validators {
  private Validators() {}

  /** Accepts everything. */
  public static Validator any() {
    return value -> null;
  }

  /** A number at least {@code min}. */
  public static Validator atLeast(long min) {
    return value ->
        ((Number) value).longValue() >= min ? null : "must be at least " + min + ", got " + value;
  }

  /** A number in {@code [min, max]}. */
  public static Validator between(long min, long max) {
    return value -> {
      long v = ((Number) value).longValue();
      return v >= min && v <= max
          ? null
          : "must be between " + min + " and " + max + ", got " + value;
    };
  }

  /** A string that is not empty or blank. */
  public static Validator nonBlank() {
    return value -> value.toString().isBlank() ? "must not be empty" : null;
  }

  /** A string without white space (host names, topic names). */
  /**
   * A host name events may carry ({@link io.ursprung.events.ProvEvent#HOST_NAME}): a producer whose
   * host setting breaks the rule would have every event dead-lettered by the consumers.
   */
  public static Validator hostName() {
    return value -> {
      String s = value.toString();
      return io.ursprung.events.ProvEvent.HOST_NAME.matcher(s).matches()
          ? null
          : "must be a host name (1 to 253 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit): '"
              + s
              + "'";
    };
  }

  public static Validator noWhitespace() {
    return value -> {
      String s = value.toString();
      if (s.isBlank()) {
        return "must not be empty";
      }
      return s.chars().anyMatch(Character::isWhitespace)
          ? "must not contain white space: '" + s + "'"
          : null;
    };
  }

  /** One of the given strings (case-sensitive). */
  public static Validator oneOf(String... allowed) {
    Set<String> set = Set.of(allowed);
    return value ->
        set.contains(value.toString())
            ? null
            : "must be one of " + String.join(", ", allowed) + ", got '" + value + "'";
  }

  /** A Kafka topic name: 1..249 characters of {@code [a-zA-Z0-9._-]}. */
  public static Validator kafkaTopic() {
    return value -> {
      String s = value.toString();
      return s.matches("[a-zA-Z0-9._-]{1,249}")
          ? null
          : "must be a Kafka topic name (1..249 characters of a-z A-Z 0-9 . _ -), got '" + s + "'";
    };
  }

  /** A non-empty list of {@code host:port} entries. */
  public static Validator hostPortList() {
    return value -> {
      List<?> list = (List<?>) value;
      if (list.isEmpty()) {
        return "must list at least one host:port";
      }
      for (Object o : list) {
        String s = o.toString();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
          return "entries must be host:port, got '" + s + "'";
        }
        try {
          int port = Integer.parseInt(s.substring(colon + 1));
          if (port < 1 || port > 65535) {
            return "port must be 1..65535 in '" + s + "'";
          }
        } catch (NumberFormatException e) {
          return "port is not a number in '" + s + "'";
        }
      }
      return null;
    };
  }
}
