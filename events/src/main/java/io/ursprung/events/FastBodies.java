package io.ursprung.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;

/**
 * Hand-written readers for the commonest event bodies, used by {@link EventCodec#fromBytes} instead
 * of Jackson databind, which spent most of the consumer's decoding time buffering creator
 * properties and parsing times with {@code java.time}'s general formatter.
 *
 * <p>A reader here never decides whether a body is valid. It takes only the canonical form: every
 * field at most once, each value of exactly the JSON type the producers write (strings, integers
 * that fit, true/false; no nulls, no coercions such as {@code "12"} for a number), times in the
 * {@code 2026-11-23T16:19:19.123Z} form, unknown fields skipped as databind skips them. For such a
 * body the result is by construction the record databind makes. For anything else it returns null
 * and the caller decodes the whole event again with databind, which accepts, rejects, and words its
 * reason exactly as before. {@code FastBodiesAgreementTest} checks the two against each other.
 */
final class FastBodies {
  private FastBodies() {}

  private static final FileAccess.Op[] OPS = FileAccess.Op.values();

  /**
   * A {@link FileAccess} body, the parser on its START_OBJECT; null when the body is not in the
   * canonical form (the parser is then left anywhere: the caller starts again).
   */
  static FileAccess fileAccess(JsonParser p) {
    try {
      ProcessRef process = null;
      FileAccess.Op op = null;
      String path = null;
      Long inode = null;
      String device = null;
      Integer fd = null;
      String flags = null;
      Boolean read = null;
      Boolean write = null;
      Boolean create = null;
      Boolean truncate = null;
      String targetPath = null;
      Long targetInode = null;
      String objectType = null;
      int seen = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          return null;
        }
        String field = p.currentName();
        JsonToken v = p.nextToken();
        int bit;
        switch (field) {
          case "process" -> {
            bit = 1;
            process = v == JsonToken.START_OBJECT ? processRef(p) : null;
            if (process == null) {
              return null;
            }
          }
          case "op" -> {
            bit = 1 << 1;
            op = v == JsonToken.VALUE_STRING ? op(p.getText()) : null;
            if (op == null) {
              return null;
            }
          }
          case "path" -> {
            bit = 1 << 2;
            path = string(p, v);
          }
          case "inode" -> {
            bit = 1 << 3;
            inode = longValue(p, v);
          }
          case "device" -> {
            bit = 1 << 4;
            device = string(p, v);
          }
          case "fd" -> {
            bit = 1 << 5;
            fd = intValue(p, v);
          }
          case "flags" -> {
            bit = 1 << 6;
            flags = string(p, v);
          }
          case "read" -> {
            bit = 1 << 7;
            read = bool(v);
          }
          case "write" -> {
            bit = 1 << 8;
            write = bool(v);
          }
          case "create" -> {
            bit = 1 << 9;
            create = bool(v);
          }
          case "truncate" -> {
            bit = 1 << 10;
            truncate = bool(v);
          }
          case "targetPath" -> {
            bit = 1 << 11;
            targetPath = string(p, v);
          }
          case "targetInode" -> {
            bit = 1 << 12;
            targetInode = longValue(p, v);
          }
          case "objectType" -> {
            bit = 1 << 13;
            objectType = string(p, v);
          }
          default -> {
            // Ignored, as databind ignores unknown fields (a newer minor revision may add some).
            p.skipChildren();
            continue;
          }
        }
        if ((seen & bit) != 0) {
          return null; // a field twice: which one databind keeps is its business
        }
        seen |= bit;
      }
      // Required (process, op, path) are checked by the record; a missing one throws.
      return new FileAccess(
          process,
          op,
          path,
          inode,
          device,
          fd,
          flags,
          read,
          write,
          create,
          truncate,
          targetPath,
          targetInode,
          objectType);
    } catch (NotCanonical | IOException | RuntimeException e) {
      // Not JSON, a value of another type, out of range, missing: databind says what.
      return null;
    }
  }

  /** {@code {"pid": int, "start": time}}, or null. */
  private static ProcessRef processRef(JsonParser p) throws IOException, NotCanonical {
    int pid = 0;
    Instant start = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        return null;
      }
      String field = p.currentName();
      JsonToken v = p.nextToken();
      int bit;
      if (field.equals("pid")) {
        bit = 1;
        Integer i = intValue(p, v);
        if (i == null) {
          return null;
        }
        pid = i;
      } else if (field.equals("start")) {
        bit = 2;
        String s = string(p, v);
        start = s == null ? null : EventCodec.parseCanonicalInstant(s);
        if (start == null || ProvEvent.timeProblem("start", start) != null) {
          return null; // out of the store's range: databind refuses it and says why
        }
      } else {
        p.skipChildren();
        continue;
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
    }
    if (seen != 3) {
      return null;
    }
    return new ProcessRef(pid, start); // a pid below 1 throws: databind reports it
  }

  private static FileAccess.Op op(String wire) {
    for (FileAccess.Op o : OPS) {
      if (o.wireName().equals(wire)) {
        return o;
      }
    }
    return null;
  }

  private static String string(JsonParser p, JsonToken v) throws IOException, NotCanonical {
    if (v != JsonToken.VALUE_STRING) {
      throw NotCanonical.INSTANCE;
    }
    return p.getText();
  }

  private static Long longValue(JsonParser p, JsonToken v) throws IOException, NotCanonical {
    if (v != JsonToken.VALUE_NUMBER_INT) {
      throw NotCanonical.INSTANCE;
    }
    JsonParser.NumberType nt = p.getNumberType();
    if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
      throw NotCanonical.INSTANCE;
    }
    return p.getLongValue();
  }

  private static Integer intValue(JsonParser p, JsonToken v) throws IOException, NotCanonical {
    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
      throw NotCanonical.INSTANCE;
    }
    return p.getIntValue();
  }

  private static Boolean bool(JsonToken v) throws NotCanonical {
    if (v == JsonToken.VALUE_TRUE) {
      return Boolean.TRUE;
    }
    if (v == JsonToken.VALUE_FALSE) {
      return Boolean.FALSE;
    }
    throw NotCanonical.INSTANCE;
  }

  /** A value this reader does not take; thrown without a stack trace, caught in this class. */
  private static final class NotCanonical extends Exception {
    static final NotCanonical INSTANCE = new NotCanonical();

    private NotCanonical() {
      super(null, null, false, false);
    }
  }
}
