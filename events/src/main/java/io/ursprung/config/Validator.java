package io.ursprung.config;

/**
 * Checks a parsed, typed value of one key. Returns {@code null} when the value is fine, otherwise a
 * problem phrased so that it reads after the key name, for example {@code "must be at least 1"}.
 */
@FunctionalInterface
public interface Validator {
  /** A problem with {@code value}, or {@code null} when there is none. */
  String check(Object value);
}
