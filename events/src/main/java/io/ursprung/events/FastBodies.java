package io.ursprung.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written readers for the commonest event bodies (file accesses and the process life cycle),
 * used by {@link EventCodec#fromBytes} instead of Jackson databind, which spent most of the
 * consumer's decoding time buffering creator properties and parsing times with {@code java.time}'s
 * general formatter.
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

  /** Whether {@link #read} has a reader for bodies of this type. */
  static boolean reads(EventType type) {
    return switch (type) {
      case FILE_ACCESS, PROCESS_START, PROCESS_EXEC, PROCESS_EXIT -> true;
      default -> false;
    };
  }

  /**
   * A body of a type {@link #reads} takes, the parser on its START_OBJECT; null when the body is
   * not in the canonical form.
   */
  static EventData read(EventType type, JsonParser p) {
    return switch (type) {
      case FILE_ACCESS -> fileAccess(p);
      case PROCESS_START -> processStarted(p);
      case PROCESS_EXEC -> processExec(p);
      case PROCESS_EXIT -> processExited(p);
      default -> null;
    };
  }

  /** A {@link ProcessStarted} body, or null (see {@link #fileAccess}). */
  static ProcessStarted processStarted(JsonParser p) {
    try {
      ProcessRef process = null;
      ProcessRef parent = null;
      Integer ppid = null;
      Integer pgid = null;
      Integer sid = null;
      Credentials credentials = null;
      String cwd = null;
      String exe = null;
      List<String> argv = null;
      String how = null;
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
            process = processRef(p, v);
          }
          case "parent" -> {
            bit = 1 << 1;
            parent = processRef(p, v);
          }
          case "ppid" -> {
            bit = 1 << 2;
            ppid = intValue(p, v);
          }
          case "pgid" -> {
            bit = 1 << 3;
            pgid = intValue(p, v);
          }
          case "sid" -> {
            bit = 1 << 4;
            sid = intValue(p, v);
          }
          case "credentials" -> {
            bit = 1 << 5;
            credentials = credentials(p, v);
          }
          case "cwd" -> {
            bit = 1 << 6;
            cwd = string(p, v);
          }
          case "exe" -> {
            bit = 1 << 7;
            exe = string(p, v);
          }
          case "argv" -> {
            bit = 1 << 8;
            argv = strings(p, v);
          }
          case "how" -> {
            bit = 1 << 9;
            how = string(p, v);
          }
          default -> {
            p.skipChildren();
            continue;
          }
        }
        if ((seen & bit) != 0) {
          return null;
        }
        seen |= bit;
      }
      // process and how are required; the record throws without them and databind says so.
      return new ProcessStarted(process, parent, ppid, pgid, sid, credentials, cwd, exe, argv, how);
    } catch (NotCanonical | IOException | RuntimeException e) {
      return null;
    }
  }

  /** A {@link ProcessExec} body, or null (see {@link #fileAccess}). */
  static ProcessExec processExec(JsonParser p) {
    try {
      ProcessRef process = null;
      String exe = null;
      Long exeInode = null;
      String exeDevice = null;
      List<String> argv = null;
      String cwd = null;
      Credentials credentials = null;
      String syscall = null;
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
            process = processRef(p, v);
          }
          case "exe" -> {
            bit = 1 << 1;
            exe = string(p, v);
          }
          case "exeInode" -> {
            bit = 1 << 2;
            exeInode = longValue(p, v);
          }
          case "exeDevice" -> {
            bit = 1 << 3;
            exeDevice = string(p, v);
          }
          case "argv" -> {
            bit = 1 << 4;
            argv = strings(p, v);
          }
          case "cwd" -> {
            bit = 1 << 5;
            cwd = string(p, v);
          }
          case "credentials" -> {
            bit = 1 << 6;
            credentials = credentials(p, v);
          }
          case "syscall" -> {
            bit = 1 << 7;
            syscall = string(p, v);
          }
          default -> {
            p.skipChildren();
            continue;
          }
        }
        if ((seen & bit) != 0) {
          return null;
        }
        seen |= bit;
      }
      return new ProcessExec(process, exe, exeInode, exeDevice, argv, cwd, credentials, syscall);
    } catch (NotCanonical | IOException | RuntimeException e) {
      return null;
    }
  }

  /** A {@link ProcessExited} body, or null (see {@link #fileAccess}). */
  static ProcessExited processExited(JsonParser p) {
    try {
      ProcessRef process = null;
      Integer exitCode = null;
      Integer signal = null;
      String how = null;
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
            process = processRef(p, v);
          }
          case "exitCode" -> {
            bit = 1 << 1;
            exitCode = intValue(p, v);
          }
          case "signal" -> {
            bit = 1 << 2;
            signal = intValue(p, v);
          }
          case "how" -> {
            bit = 1 << 3;
            how = string(p, v);
          }
          default -> {
            p.skipChildren();
            continue;
          }
        }
        if ((seen & bit) != 0) {
          return null;
        }
        seen |= bit;
      }
      return new ProcessExited(process, exitCode, signal, how);
    } catch (NotCanonical | IOException | RuntimeException e) {
      return null;
    }
  }

  /** A process reference that must be an object in the canonical form. */
  private static ProcessRef processRef(JsonParser p, JsonToken v) throws IOException, NotCanonical {
    ProcessRef r = v == JsonToken.START_OBJECT ? processRef(p) : null;
    if (r == null) {
      throw NotCanonical.INSTANCE;
    }
    return r;
  }

  /** {@link Credentials}: ids as ints, names as strings, each at most once. */
  private static Credentials credentials(JsonParser p, JsonToken v)
      throws IOException, NotCanonical {
    if (v != JsonToken.START_OBJECT) {
      throw NotCanonical.INSTANCE;
    }
    Integer uid = null;
    Integer gid = null;
    Integer euid = null;
    Integer egid = null;
    Integer auid = null;
    String user = null;
    String group = null;
    String loginUser = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        throw NotCanonical.INSTANCE;
      }
      String field = p.currentName();
      JsonToken fv = p.nextToken();
      int bit;
      switch (field) {
        case "uid" -> {
          bit = 1;
          uid = intValue(p, fv);
        }
        case "gid" -> {
          bit = 1 << 1;
          gid = intValue(p, fv);
        }
        case "euid" -> {
          bit = 1 << 2;
          euid = intValue(p, fv);
        }
        case "egid" -> {
          bit = 1 << 3;
          egid = intValue(p, fv);
        }
        case "auid" -> {
          bit = 1 << 4;
          auid = intValue(p, fv);
        }
        case "user" -> {
          bit = 1 << 5;
          user = string(p, fv);
        }
        case "group" -> {
          bit = 1 << 6;
          group = string(p, fv);
        }
        case "loginUser" -> {
          bit = 1 << 7;
          loginUser = string(p, fv);
        }
        default -> {
          p.skipChildren();
          continue;
        }
      }
      if ((seen & bit) != 0) {
        throw NotCanonical.INSTANCE;
      }
      seen |= bit;
    }
    return new Credentials(uid, gid, euid, egid, auid, user, group, loginUser);
  }

  /** An array of strings (no nulls, no other values). */
  private static List<String> strings(JsonParser p, JsonToken v) throws IOException, NotCanonical {
    if (v != JsonToken.START_ARRAY) {
      throw NotCanonical.INSTANCE;
    }
    List<String> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      out.add(string(p, t));
    }
    return out;
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
