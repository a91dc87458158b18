package io.ursprung.db.graph;

import java.time.Instant;
import java.util.List;

/**
 * Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for NULL, backslash escapes.
 * Values never reach SQL text, so no value can change a statement.
 */
final class CopyText {
  private final StringBuilder sb = new StringBuilder(4096);
  private int rows;
  private boolean first = true;

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
      sb.append(t.toString());
    } else if (v instanceof List<?> list) {
      escape(arrayLiteral(list));
    } else {
      sb.append(v);
    }
    return this;
  }

  /** Ends the current row. */
  CopyText end() {
    sb.append('\n');
    first = true;
    rows++;
    return this;
  }

  int rows() {
    return rows;
  }

  String text() {
    return sb.toString();
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
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
