package io.ursprung.consumer.rules;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming reader of comma-separated values (RFC 4180): fields may be quoted with {@code "}, a
 * quote inside is doubled, quoted fields may hold commas and line breaks; lines end with LF or
 * CRLF. A blank line is a record of one empty field.
 */
final class Csv {
  private final Reader in;
  private int peeked = -2;

  Csv(Reader in) {
    this.in = in;
  }

  private int read() throws IOException {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    return in.read();
  }

  private int peek() throws IOException {
    if (peeked == -2) {
      peeked = in.read();
    }
    return peeked;
  }

  /** The next record, or null at the end of the input. */
  List<String> next() throws IOException {
    int c = read();
    if (c == -1) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new IOException("unterminated quoted field");
        } else if (c == '"') {
          if (peek() == '"') {
            read();
            field.append('"');
          } else {
            quoted = false;
          }
        } else {
          field.append((char) c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == -1) {
        break;
      } else if (c == '\r' && peek() == '\n') {
        read();
        break;
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else {
        field.append((char) c);
      }
      c = read();
    }
    fields.add(field.toString());
    return fields;
  }
}
