package io.ursprung.db.graph;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for NULL, backslash escapes.
 * Values never reach SQL text, so no value can change a statement.
 *
 * <p>Given a {@link CopyIn}, rows are sent in chunks of about {@value #CHUNK} characters as they
 * are made, so PostgreSQL parses one chunk while the next is formatted (the two run on different
 * cores) and a batch is never held twice in memory as one large string.
 */
final class CopyText {
  static final int CHUNK = 64 * 1024;

  private final StringBuilder sb;
  private final CopyIn sink;
  private int rows;
  private boolean first = true;
  // Most consecutive rows fall in the same second; formatting an Instant is the most expensive
  // part of a row after escaping, so the date-time part of the last second is kept.
  private long cachedSecond = Long.MIN_VALUE;
  private String cachedPrefix;

  CopyText() {
    this(null);
  }

  /** Rows streamed to {@code sink} (null: kept, see {@link #text()}). */
  CopyText(CopyIn sink) {
    this.sink = sink;
    this.sb = new StringBuilder(sink == null ? 4096 : CHUNK + 8192);
  }

  /** Appends one value of the current row. */
  CopyText add(Object v) {
    if (!first) {
      sb.append('\t');
    }
    first = false;
    if (v == null) {
      sb.append("\\N");
    } else if (v instanceof String s) {
      escape(s);
    } else if (v instanceof Instant t) {
      instant(t);
    } else if (v instanceof List<?> list) {
      escape(arrayLiteral(list));
    } else {
      sb.append(v);
    }
    return this;
  }

  /** Ends the current row. */
  CopyText end() throws SQLException {
    sb.append('\n');
    first = true;
    rows++;
    if (sink != null && sb.length() >= CHUNK) {
      flush();
    }
    return this;
  }

  /** Sends what is buffered to the sink. */
  void flush() throws SQLException {
    if (sink == null || sb.length() == 0) {
      return;
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    sink.writeToCopy(bytes, 0, bytes.length);
    sb.setLength(0);
  }

  int rows() {
    return rows;
  }

  String text() {
    return sb.toString();
  }

  /** The same text as {@link Instant#toString()} (ISO-8601, UTC, {@code Z}), made faster. */
  private void instant(Instant t) {
    long sec = t.getEpochSecond();
    // Years 0000..9999 only; anything else takes the general path.
    if (sec < -62167219200L || sec > 253402300799L) {
      sb.append(t);
      return;
    }
    if (sec != cachedSecond) {
      LocalDateTime d = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
      StringBuilder p = new StringBuilder(20);
      pad(p, d.getYear(), 4).append('-');
      pad(p, d.getMonthValue(), 2).append('-');
      pad(p, d.getDayOfMonth(), 2).append('T');
      pad(p, d.getHour(), 2).append(':');
      pad(p, d.getMinute(), 2).append(':');
      pad(p, d.getSecond(), 2);
      cachedSecond = sec;
      cachedPrefix = p.toString();
    }
    sb.append(cachedPrefix);
    int nano = t.getNano();
    if (nano != 0) {
      // As Instant.toString: 3, 6 or 9 digits; PostgreSQL keeps microseconds.
      sb.append('.');
      if (nano % 1_000_000 == 0) {
        pad(sb, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        pad(sb, nano / 1000, 6);
      } else {
        pad(sb, nano, 9);
      }
    }
    sb.append('Z');
  }

  private static StringBuilder pad(StringBuilder to, int v, int width) {
    for (int d = 1, limit = 10; d < width; d++, limit *= 10) {
      if (v < limit) {
        to.append('0');
      }
    }
    return to.append(v);
  }

  private void escape(String s) {
    // Nearly every value needs no escape: copy it whole, not char by char. String.indexOf(char)
    // is a vectorised intrinsic, so five of them over a value cost less than one charAt loop,
    // which was the consumer's largest CPU cost in a profile (the archived JSON of every event
    // passes through here).
    int i =
        min(
            min(s.indexOf('\\'), s.indexOf('\n')),
            min(min(s.indexOf('\r'), s.indexOf('\t')), s.indexOf('\0')));
    if (i < 0) {
      sb.append(s);
      return;
    }
    int n = s.length();
    sb.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
          // PostgreSQL text cannot hold NUL; U+FFFD keeps the value visibly damaged, not cut.
        case '\0' -> sb.append('\uFFFD');
        default -> sb.append(c);
      }
    }
  }

  /** The smaller of two indexOf results, where -1 (not found) counts as larger than any. */
  private static int min(int a, int b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  /** A text[] literal: every element double-quoted, so commas, braces and blanks stay data. */
  static String arrayLiteral(List<?> list) {
    StringBuilder a = new StringBuilder(16 * list.size() + 2).append('{');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        a.append(',');
      }
      Object o = list.get(i);
      if (o == null) {
        a.append("NULL");
        continue;
      }
      a.append('"');
      String s = o.toString();
      for (int j = 0; j < s.length(); j++) {
        char c = s.charAt(j);
        if (c == '"' || c == '\\') {
          a.append('\\');
        }
        a.append(c);
      }
      a.append('"');
    }
    return a.append('}').toString();
  }
}
