package io.ursprung.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written readers for the commonest event bodies (file accesses, the process life cycle, IPC),
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

  /** Whether {@link #read} has a reader for bodies of this type. */
  static boolean reads(EventType type) {
    return switch (type) {
      case FILE_ACCESS, PROCESS_START, PROCESS_EXEC, PROCESS_EXIT, IPC -> true;
      default -> false;
    };
  }

  /**
   * A body of a type {@link #reads} takes, the parser on its START_OBJECT; null when the body is
   * not in the canonical form (the parser is then left anywhere: the caller starts again).
   */
  static EventData read(EventType type, JsonParser p) {
    try {
      return switch (type) {
        case FILE_ACCESS -> fileAccess(p);
        case PROCESS_START -> processStarted(p);
        case PROCESS_EXEC -> processExec(p);
        case PROCESS_EXIT -> processExited(p);
        case IPC -> ipc(p);
        default -> null;
      };
    } catch (NotCanonical | IOException | RuntimeException e) {
      // Not JSON, a value of another type, out of range, a field twice, a required field missing
      // (the record throws): databind says what.
      return null;
    }
  }

  private static FileAccess fileAccess(JsonParser p) throws IOException, NotCanonical {
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
    // Unknown fields are skipped, as databind skips them (a newer minor revision may add some).
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> {
          seen = once(seen, 1);
          process = processRef(p);
        }
        case "op" -> {
          seen = once(seen, 1 << 1);
          op = op(string(p));
        }
        case "path" -> {
          seen = once(seen, 1 << 2);
          path = string(p);
        }
        case "inode" -> {
          seen = once(seen, 1 << 3);
          inode = longValue(p);
        }
        case "device" -> {
          seen = once(seen, 1 << 4);
          device = string(p);
        }
        case "fd" -> {
          seen = once(seen, 1 << 5);
          fd = intValue(p);
        }
        case "flags" -> {
          seen = once(seen, 1 << 6);
          flags = string(p);
        }
        case "read" -> {
          seen = once(seen, 1 << 7);
          read = bool(p);
        }
        case "write" -> {
          seen = once(seen, 1 << 8);
          write = bool(p);
        }
        case "create" -> {
          seen = once(seen, 1 << 9);
          create = bool(p);
        }
        case "truncate" -> {
          seen = once(seen, 1 << 10);
          truncate = bool(p);
        }
        case "targetPath" -> {
          seen = once(seen, 1 << 11);
          targetPath = string(p);
        }
        case "targetInode" -> {
          seen = once(seen, 1 << 12);
          targetInode = longValue(p);
        }
        case "objectType" -> {
          seen = once(seen, 1 << 13);
          objectType = string(p);
        }
        default -> p.skipChildren();
      }
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
  }

  private static ProcessStarted processStarted(JsonParser p) throws IOException, NotCanonical {
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
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> {
          seen = once(seen, 1);
          process = processRef(p);
        }
        case "parent" -> {
          seen = once(seen, 1 << 1);
          parent = processRef(p);
        }
        case "ppid" -> {
          seen = once(seen, 1 << 2);
          ppid = intValue(p);
        }
        case "pgid" -> {
          seen = once(seen, 1 << 3);
          pgid = intValue(p);
        }
        case "sid" -> {
          seen = once(seen, 1 << 4);
          sid = intValue(p);
        }
        case "credentials" -> {
          seen = once(seen, 1 << 5);
          credentials = credentials(p);
        }
        case "cwd" -> {
          seen = once(seen, 1 << 6);
          cwd = string(p);
        }
        case "exe" -> {
          seen = once(seen, 1 << 7);
          exe = string(p);
        }
        case "argv" -> {
          seen = once(seen, 1 << 8);
          argv = strings(p);
        }
        case "how" -> {
          seen = once(seen, 1 << 9);
          how = string(p);
        }
        default -> p.skipChildren();
      }
    }
    // process and how are required; the record throws without them.
    return new ProcessStarted(process, parent, ppid, pgid, sid, credentials, cwd, exe, argv, how);
  }

  private static ProcessExec processExec(JsonParser p) throws IOException, NotCanonical {
    ProcessRef process = null;
    String exe = null;
    Long exeInode = null;
    String exeDevice = null;
    List<String> argv = null;
    String cwd = null;
    Credentials credentials = null;
    String syscall = null;
    int seen = 0;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> {
          seen = once(seen, 1);
          process = processRef(p);
        }
        case "exe" -> {
          seen = once(seen, 1 << 1);
          exe = string(p);
        }
        case "exeInode" -> {
          seen = once(seen, 1 << 2);
          exeInode = longValue(p);
        }
        case "exeDevice" -> {
          seen = once(seen, 1 << 3);
          exeDevice = string(p);
        }
        case "argv" -> {
          seen = once(seen, 1 << 4);
          argv = strings(p);
        }
        case "cwd" -> {
          seen = once(seen, 1 << 5);
          cwd = string(p);
        }
        case "credentials" -> {
          seen = once(seen, 1 << 6);
          credentials = credentials(p);
        }
        case "syscall" -> {
          seen = once(seen, 1 << 7);
          syscall = string(p);
        }
        default -> p.skipChildren();
      }
    }
    return new ProcessExec(process, exe, exeInode, exeDevice, argv, cwd, credentials, syscall);
  }

  private static ProcessExited processExited(JsonParser p) throws IOException, NotCanonical {
    ProcessRef process = null;
    Integer exitCode = null;
    Integer signal = null;
    String how = null;
    int seen = 0;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "process" -> {
          seen = once(seen, 1);
          process = processRef(p);
        }
        case "exitCode" -> {
          seen = once(seen, 1 << 1);
          exitCode = intValue(p);
        }
        case "signal" -> {
          seen = once(seen, 1 << 2);
          signal = intValue(p);
        }
        case "how" -> {
          seen = once(seen, 1 << 3);
          how = string(p);
        }
        default -> p.skipChildren();
      }
    }
    return new ProcessExited(process, exitCode, signal, how);
  }

  private static Ipc ipc(JsonParser p) throws IOException, NotCanonical {
    String kind = null;
    String channel = null;
    ProcessRef writer = null;
    ProcessRef reader = null;
    int seen = 0;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "kind" -> {
          seen = once(seen, 1);
          kind = string(p);
        }
        case "channel" -> {
          seen = once(seen, 1 << 1);
          channel = string(p);
        }
        case "writer" -> {
          seen = once(seen, 1 << 2);
          writer = processRef(p);
        }
        case "reader" -> {
          seen = once(seen, 1 << 3);
          reader = processRef(p);
        }
        default -> p.skipChildren();
      }
    }
    return new Ipc(kind, channel, writer, reader);
  }

  /** {@code {"pid": int, "start": time}}, both required. */
  private static ProcessRef processRef(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw NotCanonical.INSTANCE;
    }
    int pid = 0;
    Instant start = null;
    int seen = 0;
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "pid" -> {
          seen = once(seen, 1);
          pid = intValue(p);
        }
        case "start" -> {
          seen = once(seen, 2);
          start = EventCodec.parseCanonicalInstant(string(p));
          if (start == null || ProvEvent.timeProblem("start", start) != null) {
            throw NotCanonical
                .INSTANCE; // out of the store's range: databind refuses it and says why
          }
        }
        default -> p.skipChildren();
      }
    }
    if (seen != 3) {
      throw NotCanonical.INSTANCE;
    }
    return new ProcessRef(pid, start); // a pid below 1 throws: databind reports it
  }

  /** {@link Credentials}: ids as ints, names as strings. */
  private static Credentials credentials(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.START_OBJECT) {
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
    for (String field = nextField(p); field != null; field = nextField(p)) {
      switch (field) {
        case "uid" -> {
          seen = once(seen, 1);
          uid = intValue(p);
        }
        case "gid" -> {
          seen = once(seen, 1 << 1);
          gid = intValue(p);
        }
        case "euid" -> {
          seen = once(seen, 1 << 2);
          euid = intValue(p);
        }
        case "egid" -> {
          seen = once(seen, 1 << 3);
          egid = intValue(p);
        }
        case "auid" -> {
          seen = once(seen, 1 << 4);
          auid = intValue(p);
        }
        case "user" -> {
          seen = once(seen, 1 << 5);
          user = string(p);
        }
        case "group" -> {
          seen = once(seen, 1 << 6);
          group = string(p);
        }
        case "loginUser" -> {
          seen = once(seen, 1 << 7);
          loginUser = string(p);
        }
        default -> p.skipChildren();
      }
    }
    return new Credentials(uid, gid, euid, egid, auid, user, group, loginUser);
  }

  /** An array of strings (no nulls, no other values). */
  private static List<String> strings(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw NotCanonical.INSTANCE;
    }
    List<String> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(string(p));
    }
    return out;
  }

  /**
   * The next field's name, the parser moved on to its value; null at the end of the object.
   * Anything but a field there (the input cut short, say) is not canonical.
   */
  private static String nextField(JsonParser p) throws IOException, NotCanonical {
    JsonToken t = p.nextToken();
    if (t == JsonToken.END_OBJECT) {
      return null;
    }
    if (t != JsonToken.FIELD_NAME) {
      throw NotCanonical.INSTANCE;
    }
    String name = p.currentName();
    p.nextToken();
    return name;
  }

  /**
   * {@code seen} and {@code bit}; a field given twice is not canonical (which one databind keeps is
   * its business).
   */
  private static int once(int seen, int bit) throws NotCanonical {
    if ((seen & bit) != 0) {
      throw NotCanonical.INSTANCE;
    }
    return seen | bit;
  }

  private static FileAccess.Op op(String wire) throws NotCanonical {
    for (FileAccess.Op o : OPS) {
      if (o.wireName().equals(wire)) {
        return o;
      }
    }
    throw NotCanonical.INSTANCE;
  }

  private static String string(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw NotCanonical.INSTANCE;
    }
    return p.getText();
  }

  private static Long longValue(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw NotCanonical.INSTANCE;
    }
    JsonParser.NumberType nt = p.getNumberType();
    if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
      throw NotCanonical.INSTANCE;
    }
    return p.getLongValue();
  }

  private static Integer intValue(JsonParser p) throws IOException, NotCanonical {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() != JsonParser.NumberType.INT) {
      throw NotCanonical.INSTANCE;
    }
    return p.getIntValue();
  }

  private static Boolean bool(JsonParser p) throws NotCanonical {
    JsonToken v = p.currentToken();
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
