package io.ursprung.db.graph;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}): each value
 * is its length and its bytes, so nothing is escaped, formatted or parsed.
 *
 * <p>Every graph table is written this way. In text format each value was made into characters
 * (times and numbers formatted, strings scanned for characters to escape), encoded again, and
 * parsed back by PostgreSQL character by character: times were PostgreSQL's dearest input and the
 * consumer's dearest output. The event archive's rows are mostly the event's JSON, and here the
 * bytes received from Kafka go out as they came. Measured in docs/performance.md.
 *
 * <p>Values are written as PostgreSQL's binary input functions read them, for exactly the column
 * types of the graph tables: {@code text}, {@code integer}, {@code bigint}, {@code timestamptz},
 * {@code text[]} and {@code jsonb}. Rows are sent in chunks of about {@value #CHUNK} bytes as they
 * are made when given a {@link CopyIn}, so PostgreSQL reads one chunk while the next is made (on
 * another core) and a batch is never held twice; without one they are kept (see {@link #bytes()}).
 */
final class CopyBinary {
  static final int CHUNK = 64 * 1024;
  // "PGCOPY\n\377\r\n\0", then flags (int32 0) and the header extension's length (int32 0).
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };
  // pg_type's oid of text, named in an array's header.
  private static final int TEXT_OID = 25;
  // 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix seconds.
  private static final long PG_EPOCH_SECONDS = 946_684_800L;

  private final CopyIn sink;
  private final int fields;
  private byte[] buf;
  private int len;
  private int rows;

  /** Rows of {@code fields} values each, streamed to {@code sink} (null: kept). */
  CopyBinary(CopyIn sink, int fields) {
    this(sink, fields, 4096);
  }

  /**
   * Rows of {@code fields} values each, kept, in a buffer of {@code expected} bytes to start with
   * (a batch's table is megabytes: growing from small copied it about twice over).
   */
  CopyBinary(int fields, int expected) {
    this(null, fields, expected);
  }

  private CopyBinary(CopyIn sink, int fields, int kept) {
    this.sink = sink;
    this.fields = fields;
    this.buf = new byte[sink == null ? Math.max(kept, 64) : CHUNK + 8192];
    put(HEADER, 0, HEADER.length);
  }

  /** Starts a row. */
  CopyBinary row() {
    int16(fields);
    return this;
  }

  /**
   * A text value (UTF-8), or NULL. PostgreSQL text cannot hold NUL: U+FFFD keeps such a value
   * visibly damaged, not cut or refused (a path or an argument can carry one).
   */
  CopyBinary text(String s) {
    if (s == null) {
      return nul();
    }
    // Encoded straight into the buffer: String.getBytes made an array per value and this copied
    // it again, a tenth of the polling thread's time in a profile of the bulk capture. The bytes
    // are String.getBytes(UTF_8)'s (a lone surrogate becomes '?'), NUL aside; CopyBinaryTest
    // checks the two against each other.
    int n = s.length();
    room(4 + 3 * n); // UTF-8 takes at most 3 bytes per UTF-16 unit (4 per surrogate pair)
    byte[] b = buf;
    int at = len + 4;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80 && c != 0) {
        b[at++] = (byte) c;
      } else if (c == 0) {
        b[at++] = (byte) 0xef; // U+FFFD
        b[at++] = (byte) 0xbf;
        b[at++] = (byte) 0xbd;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xc0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3f));
      } else if (!Character.isSurrogate(c)) {
        b[at++] = (byte) (0xe0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[at++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[at++] = (byte) (0xf0 | (cp >> 18));
        b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[at++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        b[at++] = '?';
      }
    }
    int32At(len, at - len - 4);
    len = at;
    return this;
  }

  /**
   * A {@code text[]} value, or NULL: one dimension from index 1, each element as {@link
   * #text(String)}; an empty list is the empty array.
   */
  CopyBinary textArray(List<String> list) {
    if (list == null) {
      return nul();
    }
    int start = len;
    int32(0); // the value's length, set below
    boolean nulls = false;
    for (String e : list) {
      // Not List.contains(null): immutable lists throw on a null argument.
      nulls |= e == null;
    }
    int32(list.isEmpty() ? 0 : 1); // dimensions
    int32(nulls ? 1 : 0);
    int32(TEXT_OID);
    if (!list.isEmpty()) {
      int32(list.size());
      int32(1); // lower bound
      for (String e : list) {
        text(e);
      }
    }
    int32At(start, len - start - 4);
    return this;
  }

  /** A {@code jsonb} value given as JSON text, or NULL: the format version (1), then the text. */
  CopyBinary jsonb(String json) {
    if (json == null) {
      return nul();
    }
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    int32(b.length + 1);
    room(1);
    buf[len++] = 1;
    put(b, 0, b.length);
    return this;
  }

  /** An {@code integer}. */
  CopyBinary int4(int v) {
    int32(4);
    int32(v);
    return this;
  }

  /** A {@code bigint}. */
  CopyBinary int8(long v) {
    int32(8);
    int64(v);
    return this;
  }

  /** A text value given as its UTF-8 bytes, or NULL. */
  CopyBinary bytes(byte[] b) {
    if (b == null) {
      return nul();
    }
    int32(b.length);
    put(b, 0, b.length);
    return this;
  }

  /** An {@code integer}, or NULL. */
  CopyBinary int4(Integer v) {
    if (v == null) {
      return nul();
    }
    int32(4);
    int32(v);
    return this;
  }

  /** A {@code bigint}, or NULL. */
  CopyBinary int8(Long v) {
    if (v == null) {
      return nul();
    }
    int32(8);
    int64(v);
    return this;
  }

  /** A {@code timestamptz}, or NULL: microseconds since 2000-01-01 UTC. */
  CopyBinary timestamptz(Instant t) {
    if (t == null) {
      return nul();
    }
    int32(8);
    int64(micros(t));
    return this;
  }

  /**
   * Microseconds since PostgreSQL's epoch, rounded as PostgreSQL rounds the text form: to the
   * nearest microsecond, halves to even. Events carry milliseconds (auditd) or microseconds.
   */
  static long micros(Instant t) {
    long seconds = t.getEpochSecond() - PG_EPOCH_SECONDS;
    int nano = t.getNano();
    long micros = nano / 1000;
    int rest = nano % 1000;
    if (rest > 500 || (rest == 500 && (micros & 1) == 1)) {
      micros++;
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
  }

  /** Ends the current row; sends a chunk when one is full. */
  CopyBinary end() throws SQLException {
    rows++;
    if (sink != null && len >= CHUNK) {
      flush();
    }
    return this;
  }

  /** Ends the data (the trailer) and sends what is buffered. */
  void finish() throws SQLException {
    int16(-1);
    flush();
  }

  int rows() {
    return rows;
  }

  /** The data so far, when there is no sink. */
  byte[] bytes() {
    return len == buf.length ? buf : Arrays.copyOf(buf, len);
  }

  private void flush() throws SQLException {
    if (sink == null || len == 0) {
      return;
    }
    sink.writeToCopy(buf, 0, len);
    len = 0;
  }

  private CopyBinary nul() {
    int32(-1);
    return this;
  }

  private void int16(int v) {
    room(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  private void int32(int v) {
    room(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  /** A value's length, set once the value is written: at {@code at}, already in the buffer. */
  private void int32At(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void int64(long v) {
    int32((int) (v >>> 32));
    int32((int) v);
  }

  private void put(byte[] b, int off, int n) {
    room(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
