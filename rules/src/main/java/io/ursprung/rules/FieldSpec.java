package io.ursprung.rules;

import java.util.List;
import java.util.Objects;

/**
 * One output field of {@code LOGLOAD} and {@code CAPTURESOUT}: which tokens of a matching line
 * (split on the delimiter, numbered from 0) or which event field becomes the value.
 */
public sealed interface FieldSpec {

  /** {@code to} of a {@link Range} or {@link Timestamp} that runs to the end of the line. */
  int END = -1;

  /** {@code N}: token N. */
  record Token(int index) implements FieldSpec {
    public Token {
      if (index < 0) {
        throw new IllegalArgumentException("token index must be >= 0");
      }
    }
  }

  /** {@code N-M} or {@code N-e}: tokens N to M (or to the end) joined by single spaces. */
  record Range(int from, int to) implements FieldSpec {
    public Range {
      if (from < 0 || (to != END && to < from)) {
        throw new IllegalArgumentException("bad range " + from + "-" + to);
      }
    }
  }

  /** {@code N+M+K}: the tokens concatenated with nothing between them. */
  record Concat(List<Integer> indexes) implements FieldSpec {
    public Concat {
      indexes = List.copyOf(indexes);
      if (indexes.size() < 2) {
        throw new IllegalArgumentException("Concat needs two or more tokens");
      }
    }
  }

  /**
   * {@code N/H} or {@code N-M/H}: the token (or tokens joined by a space) is a local timestamp
   * {@code yyyy-MM-dd HH:mm:ss}; the value is that time plus H hours, in the same format.
   */
  record Timestamp(int from, int to, int hourOffset) implements FieldSpec {
    public Timestamp {
      if (from < 0 || (to != END && to < from)) {
        throw new IllegalArgumentException("bad range " + from + "-" + to);
      }
    }
  }

  /** A field of the triggering event, such as {@code pid} or {@code path}. */
  record EventField(String name) implements FieldSpec {
    public EventField {
      Objects.requireNonNull(name, "name");
    }
  }
}
